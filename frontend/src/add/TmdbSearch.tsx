import { useState, type FormEvent } from 'react';
import { searchTmdb } from '../api/lookups';
import type { Candidate } from '../api/types';
import { useAction } from '../app/hooks';
import { ErrorNotice, Loading } from '../app/ui';
import { CandidateList } from './CandidateList';

export interface TmdbQuery {
  query: string;
  year: string;
  kind: 'movie' | 'tv';
}

export function TmdbSearch({
  onPick,
  initial,
  pickVerb,
}: {
  onPick: (candidate: Candidate) => void;
  /** What the form starts with (a title page searches for the title it is on). */
  initial?: TmdbQuery;
  pickVerb?: string;
}) {
  const [query, setQuery] = useState(initial?.query ?? '');
  const [year, setYear] = useState(initial?.year ?? '');
  const [kind, setKind] = useState<'movie' | 'tv'>(initial?.kind ?? 'movie');
  const [results, setResults] = useState<Candidate[] | null>(null);
  const search = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = await search.run(() => searchTmdb(query.trim(), kind, year ? Number(year) : undefined));
    if (found) setResults(found);
  }

  return (
    <>
      <form className="form" onSubmit={submit} aria-label="Search TMDB">
        <label>
          Title to search for
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} required />
        </label>
        <div className="form-row">
          <label>
            Kind
            <select value={kind} onChange={(e) => setKind(e.target.value as 'movie' | 'tv')}>
              <option value="movie">Movie</option>
              <option value="tv">TV series</option>
            </select>
          </label>
          <label>
            Year (optional)
            <input type="number" min={1870} max={2100} value={year} onChange={(e) => setYear(e.target.value)} />
          </label>
        </div>
        <button type="submit" className="primary" disabled={search.busy || !query.trim()}>
          Search
        </button>
      </form>
      {search.busy && <Loading label="Searching TMDB…" />}
      <ErrorNotice error={search.error} />
      {results && results.length === 0 && <p role="status">No matches on TMDB. Check the spelling or try without the year.</p>}
      {results && results.length > 0 && <CandidateList candidates={results} onPick={onPick} label="TMDB results" pickVerb={pickVerb} />}
    </>
  );
}
