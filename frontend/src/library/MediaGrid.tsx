import { memo } from 'react';
import { Link } from '../app/navigation';
import { cardMeta, type LibraryEntry } from './entry';
import { LoanBadge } from './LoanBadge';
import { Poster } from './Poster';
import { WatchedBadge } from './WatchedBadge';
import { useListWindow } from './useListWindow';
import { itemIndices, windowSegments, type ListMetrics } from './windowing';

// Until the first cards are measured: one column of cards about 18rem tall.
const ESTIMATE: ListMetrics = { columns: 1, pitch: 300, gap: 16 };

const Card = memo(function Card({
  media,
  index,
  setSize,
  column,
}: {
  media: LibraryEntry;
  index: number;
  setSize: number;
  /** Set on the first card after skipped rows, so it starts its own row. */
  column?: number;
}) {
  return (
    <li
      className="card"
      data-index={index}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      style={column === undefined ? undefined : { gridColumnStart: column }}
    >
      <Link to={`/titles/${media.id}`} className="card-link">
        <Poster media={media} />
        <span className="card-title">{media.title}</span>
        <span className="card-badges">
          <LoanBadge state={media.loan} />
          {media.seasons && <span className="badge seasons-badge">{media.seasons}</span>}
          <WatchedBadge watched={media.watched} />
        </span>
        <span className="card-meta muted small">{cardMeta(media)}</span>
      </Link>
    </li>
  );
});

/**
 * Poster grid. Only the rows near the screen are on the page; `setSize` is the number of titles
 * in the view (-1 while unknown), which screen readers announce with each card's position.
 */
export function MediaGrid({ items, setSize }: { items: LibraryEntry[]; setSize: number }) {
  const { ref, view, pinned, onFocus, onBlur } = useListWindow<HTMLUListElement>(items.length, ESTIMATE);
  return (
    <ul ref={ref} className="poster-grid" aria-label="Titles" onFocus={onFocus} onBlur={onBlur}>
      {/* One flat list of keyed children: a card keeps its element (and focus) as the space around it changes. */}
      {windowSegments(items.length, view, pinned).flatMap((segment) =>
        segment.kind === 'gap' ? (
          <li key={`gap-${segment.row}`} className="window-gap" aria-hidden="true" style={{ height: segment.height }} />
        ) : (
          itemIndices(segment).map((index) => (
            <Card
              key={items[index]!.id}
              media={items[index]!}
              index={index}
              setSize={setSize}
              column={index === segment.start ? (index % view.columns) + 1 : undefined}
            />
          ))
        ),
      )}
    </ul>
  );
}
