import { memo } from 'react';
import type { Media } from '../api/types';
import { Link } from '../app/navigation';
import { TableHead } from '../app/ui';
import { formatsOf, mediaTypeLabel, runtimeLabel } from './present';

const Row = memo(function Row({ media }: { media: Media }) {
  return (
    <tr>
      <th scope="row">
        <Link to={`/titles/${media.id}`}>{media.title}</Link>
      </th>
      <td>{media.year ?? '—'}</td>
      <td>{mediaTypeLabel(media.media_type)}</td>
      <td>{formatsOf(media).join(', ') || '—'}</td>
      <td>{media.rating ?? '—'}</td>
      <td>{media.user_rating ?? '—'}</td>
      <td>{runtimeLabel(media.runtime_minutes)}</td>
    </tr>
  );
});

/** The dense view: one row per title. */
export function MediaList({ items }: { items: Media[] }) {
  return (
    <div className="table-wrap">
      <table className="dense" aria-label="Titles">
        <TableHead columns={['Title', 'Year', 'Type', 'Formats', 'Rating', 'My rating', 'Runtime']} />
        <tbody>
          {items.map((media) => (
            <Row key={media.id} media={media} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
