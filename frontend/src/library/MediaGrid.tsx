import { memo } from 'react';
import type { Media } from '../api/types';
import { Link } from '../app/navigation';
import { Poster } from './Poster';
import { formatsOf } from './present';

const Card = memo(function Card({ media }: { media: Media }) {
  return (
    <li className="card">
      <Link to={`/titles/${media.id}`} className="card-link">
        <Poster media={media} />
        <span className="card-title">{media.title}</span>
        <span className="card-meta muted small">
          {[media.year, formatsOf(media).join(', ')].filter(Boolean).join(' · ')}
        </span>
      </Link>
    </li>
  );
});

/** Poster grid; only the loaded pages are rendered, and off-screen cards skip layout and paint. */
export function MediaGrid({ items }: { items: Media[] }) {
  return (
    <ul className="poster-grid" aria-label="Titles">
      {items.map((media) => (
        <Card key={media.id} media={media} />
      ))}
    </ul>
  );
}
