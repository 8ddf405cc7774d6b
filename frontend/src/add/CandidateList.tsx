import type { Candidate } from '../api/types';
import { Poster } from '../library/Poster';
import { tmdbMatchOf } from '../title/draft';

/** A pick list of lookup answers; each has one "Use" button named after the title. */
export function CandidateList({
  candidates,
  onPick,
  label,
  pickVerb = 'Use',
}: {
  candidates: Candidate[];
  onPick: (candidate: Candidate) => void;
  label: string;
  /** The button's verb: "Use this", "Match this". */
  pickVerb?: string;
}) {
  return (
    <ul className="candidates" aria-label={label}>
      {candidates.map((candidate, index) => {
        const match = tmdbMatchOf(candidate);
        const shown = match ?? candidate;
        const title = shown.title ?? candidate.name ?? candidate.product_title ?? 'Untitled';
        const product = candidate.product_title ?? candidate.name;
        return (
          <li key={`${shown.tmdb_id ?? candidate.external_id ?? ''}-${index}`} className="candidate">
            <Poster media={{ title, poster_url: shown.poster_url ?? null, year: shown.year ?? null }} />
            <div>
              <strong>{title}</strong> {shown.year && <span className="muted">({shown.year})</span>}
              {product && product !== title && <p className="muted small">Product: {product}</p>}
              {shown.overview && <p className="small clamp">{shown.overview}</p>}
              {!match && candidate !== shown && <p className="muted small">No TMDB match found.</p>}
            </div>
            <button type="button" onClick={() => onPick(candidate)} aria-label={`${pickVerb} ${title}${shown.year ? ` (${shown.year})` : ''}`}>
              {pickVerb} this
            </button>
          </li>
        );
      })}
    </ul>
  );
}
