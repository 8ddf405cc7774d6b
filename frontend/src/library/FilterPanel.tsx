import { useEffect, useState } from 'react';
import { debounce } from '../app/debounce';
import { SelectField } from '../app/ui';
import {
  FORMATS,
  LOANS,
  MEDIA_TYPES,
  MISSING,
  RESOLUTIONS,
  SEASONS,
  SORT_KEYS,
  SORT_LABELS,
  SOURCES,
  WATCHED,
  activeFilterCount,
  clearFilters,
  defaultOrder,
  mergeDraft,
  type LibraryFilters,
  type SortKey,
  type SortOrder,
} from './filters';

type NumberKey = 'year_min' | 'year_max' | 'rating_min' | 'rating_max' | 'user_rating_min' | 'user_rating_max';
type TextKey = 'genre' | 'director' | 'cast' | 'tag';

const ORDERS = [
  ['asc', 'Ascending'],
  ['desc', 'Descending'],
] as const;

/** Filters and sort. Choices apply at once; typed values apply after a short pause. */
export function FilterPanel({ filters, onChange }: { filters: LibraryFilters; onChange: (next: LibraryFilters) => void }) {
  const [draft, setDraft] = useState(filters);
  const [commitLater] = useState(() => debounce((next: LibraryFilters) => onChange(next), 400));
  useEffect(() => setDraft((current) => mergeDraft(current, filters)), [filters]);
  useEffect(() => () => commitLater.cancel(), [commitLater]);

  const now = (change: Partial<LibraryFilters>) => {
    commitLater.cancel();
    const next = { ...draft, ...change };
    setDraft(next);
    onChange(next);
  };
  const later = (change: Partial<LibraryFilters>) => {
    const next = { ...draft, ...change };
    setDraft(next);
    commitLater(next);
  };
  const text = (key: TextKey, label: string) => (
    <label>
      {label}
      <input type="text" value={draft[key]} onChange={(event) => later({ [key]: event.target.value })} />
    </label>
  );
  const number = (key: NumberKey, label: string, min: number, max: number, step = 1) => (
    <label>
      {label}
      <input
        type="number"
        inputMode="decimal"
        min={min}
        max={max}
        step={step}
        value={draft[key] ?? ''}
        onChange={(event) => {
          const value = event.target.value === '' ? null : Number(event.target.value);
          later({ [key]: value !== null && Number.isFinite(value) ? value : null });
        }}
      />
    </label>
  );
  const count = activeFilterCount(filters);

  return (
    <div className="filters">
      <div className="sort-row">
        <SelectField
          label="Sort by"
          value={draft.sort}
          options={SORT_KEYS.map((key) => [key, SORT_LABELS[key]] as const)}
          onChange={(v) => now({ sort: v as SortKey, order: defaultOrder(v as SortKey) })}
        />
        <SelectField label="Order" value={draft.order} options={ORDERS} onChange={(v) => now({ order: v as SortOrder })} />
      </div>
      <details open={count > 0}>
        <summary>Filters{count > 0 ? ` (${count} active)` : ''}</summary>
        <div className="filter-grid">
          <SelectField label="Type" value={draft.media_type} options={MEDIA_TYPES} anyLabel="Any type" onChange={(v) => now({ media_type: v })} />
          <SelectField label="Format" value={draft.format} options={FORMATS} anyLabel="Any format" onChange={(v) => now({ format: v })} />
          <SelectField
            label="Resolution"
            value={draft.resolution}
            options={RESOLUTIONS}
            anyLabel="Any resolution"
            onChange={(v) => now({ resolution: v })}
          />
          <SelectField label="Source" value={draft.source} options={SOURCES} anyLabel="Any source" onChange={(v) => now({ source: v })} />
          <SelectField label="Missing" value={draft.missing} options={MISSING} anyLabel="Any" onChange={(v) => now({ missing: v })} />
          <SelectField label="Loans" value={draft.loan} options={LOANS} anyLabel="Any" onChange={(v) => now({ loan: v })} />
          <SelectField label="Seasons" value={draft.seasons} options={SEASONS} anyLabel="Any" onChange={(v) => now({ seasons: v })} />
          <SelectField label="Watched" value={draft.watched} options={WATCHED} anyLabel="Any" onChange={(v) => now({ watched: v })} />
          {text('genre', 'Genre')}
          {text('director', 'Director')}
          {text('cast', 'Cast member')}
          {text('tag', 'Tag')}
          {number('year_min', 'Year from', 1870, 2100)}
          {number('year_max', 'Year to', 1870, 2100)}
          {number('rating_min', 'Rating at least', 0, 10, 0.5)}
          {number('rating_max', 'Rating at most', 0, 10, 0.5)}
          {number('user_rating_min', 'My rating at least', 0, 10, 0.5)}
          {number('user_rating_max', 'My rating at most', 0, 10, 0.5)}
        </div>
        <button type="button" onClick={() => now(clearFilters(draft))} disabled={count === 0 && !draft.q}>
          Clear filters
        </button>
      </details>
    </div>
  );
}
