import { memo } from 'react';
import { Link } from '../app/navigation';
import { TableHead } from '../app/ui';
import type { LibraryEntry } from './entry';
import { LoanBadge } from './LoanBadge';
import { mediaTypeLabel, runtimeLabel } from './present';
import { useListWindow } from './useListWindow';
import { WatchedBadge } from './WatchedBadge';
import { itemIndices, windowSegments, type ListMetrics } from './windowing';

const COLUMNS = ['Title', 'Year', 'Type', 'Formats', 'Copies', 'Seasons', 'Rating', 'My rating', 'Runtime'];
// Until the first rows are measured: one line of text and the cell padding.
const ESTIMATE: ListMetrics = { columns: 1, pitch: 36, gap: 0 };

const Row = memo(function Row({ media, index }: { media: LibraryEntry; index: number }) {
  return (
    <tr data-index={index} aria-rowindex={index + 2}>
      <th scope="row">
        <Link to={`/titles/${media.id}`}>{media.title}</Link> <LoanBadge state={media.loan} /> <WatchedBadge watched={media.watched} />
      </th>
      <td className="cell-year">{media.year ?? '—'}</td>
      <td className="cell-type">{mediaTypeLabel(media.media_type)}</td>
      <td className="cell-formats">{media.formats.join(', ') || '—'}</td>
      <td className="cell-copies">
        {media.copies}
        <span className="phone-only"> {media.copies === 1 ? 'copy' : 'copies'}</span>
      </td>
      <td className="cell-seasons">{media.seasons?.replace(/^Owned /, '').replace(/ seasons?$/, '') ?? '—'}</td>
      <td className="cell-rating">{media.rating ?? '—'}</td>
      <td className="cell-my-rating">{media.user_rating ?? '—'}</td>
      <td className="cell-runtime">{runtimeLabel(media.runtime_minutes)}</td>
    </tr>
  );
});

/**
 * The dense view: one row per title (on phones a compact two-line row: the title, then year,
 * formats and copies), only the rows near the screen on the page. Row numbers
 * (`aria-rowindex`, the header being row 1) tell screen readers where each row is in the view.
 */
export function MediaList({ items, setSize }: { items: LibraryEntry[]; setSize: number }) {
  const { ref, view, pinned, onFocus, onBlur } = useListWindow<HTMLTableSectionElement>(items.length, ESTIMATE);
  return (
    <div className="table-wrap">
      <table className="dense titles-table" aria-label="Titles" aria-rowcount={setSize < 0 ? -1 : setSize + 1}>
        <colgroup>
          {COLUMNS.map((column) => (
            <col key={column} className={`col-${column.toLowerCase().replace(' ', '-')}`} />
          ))}
        </colgroup>
        <TableHead columns={COLUMNS} rowIndex={1} />
        <tbody ref={ref} onFocus={onFocus} onBlur={onBlur}>
          {/* One flat list of keyed children: a row keeps its element (and focus) as the space around it changes. */}
          {windowSegments(items.length, view, pinned).flatMap((segment) =>
            segment.kind === 'gap' ? (
              <tr key={`gap-${segment.row}`} className="window-gap" aria-hidden="true">
                <td colSpan={COLUMNS.length} style={{ height: segment.height }} />
              </tr>
            ) : (
              itemIndices(segment).map((index) => <Row key={items[index]!.id} media={items[index]!} index={index} />)
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
