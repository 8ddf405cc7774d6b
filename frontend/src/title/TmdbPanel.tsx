import { useState } from 'react';
import { matchMedia, refreshMedia } from '../api/media';
import type { Candidate, Media } from '../api/types';
import { TmdbSearch } from '../add/TmdbSearch';
import { useAction } from '../app/hooks';
import { useNotices } from '../app/notices';
import { ErrorNotice } from '../app/ui';
import { tmdbIdOf, tmdbTypeOf } from './draft';

/**
 * "Match to TMDB" for a title without a TMDB id (search, pick, the title takes TMDB's details) and
 * "Refresh details" for one with an id. Shown to whoever may edit the title; the server checks again.
 */
export function TmdbPanel({ media, onChange }: { media: Media; onChange: (next: Media) => void }) {
  const { notify } = useNotices();
  const [searching, setSearching] = useState(false);
  const action = useAction();

  async function pick(candidate: Candidate) {
    const tmdbId = tmdbIdOf(candidate);
    if (!tmdbId) return;
    const updated = await action.run(() => matchMedia(media.id, tmdbId, tmdbTypeOf(candidate)));
    if (updated) {
      onChange(updated);
      setSearching(false);
      notify(`Matched to “${updated.title}” on TMDB.`);
    }
  }

  async function refresh() {
    const updated = await action.run(() => refreshMedia(media.id));
    if (updated) {
      onChange(updated);
      notify('Details read again from TMDB.');
    }
  }

  if (media.tmdb_id) {
    return (
      <div className="tmdb-actions">
        <button type="button" onClick={refresh} disabled={action.busy}>
          {action.busy ? 'Refreshing…' : 'Refresh details'}
        </button>
        <ErrorNotice error={action.error} />
      </div>
    );
  }
  return (
    <section className="tmdb-panel" aria-labelledby="tmdb-match-heading">
      <h2 id="tmdb-match-heading">Match to TMDB</h2>
      <p className="muted">
        This title has no TMDB id. Pick it on TMDB to fill in its poster, people and details; your copies and notes stay.
      </p>
      {searching ? (
        <>
          <TmdbSearch
            onPick={pick}
            pickVerb="Match"
            initial={{
              query: media.title,
              year: media.year ? String(media.year) : '',
              kind: media.media_type === 'tv_series' ? 'tv' : 'movie',
            }}
          />
          <button type="button" onClick={() => setSearching(false)}>
            Cancel
          </button>
        </>
      ) : (
        <button type="button" className="primary" onClick={() => setSearching(true)}>
          Match to TMDB
        </button>
      )}
      {action.busy && <p role="status">Matching…</p>}
      <ErrorNotice error={action.error} />
    </section>
  );
}
