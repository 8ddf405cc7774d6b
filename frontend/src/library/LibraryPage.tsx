import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { listMedia } from '../api/media';
import { LoadMore } from '../app/LoadMore';
import { useDebouncedValue } from '../app/hooks';
import { cameBack, Link, navigate, useLocation } from '../app/navigation';
import { formatTotal } from '../app/paging';
import { useSession } from '../app/session';
import { ErrorNotice, Loading, Page } from '../app/ui';
import { ExportMenu } from '../import/ExportMenu';
import { usePagedList } from '../app/usePagedList';
import { toLibraryEntry } from './entry';
import { EmptyLibrary } from './EmptyLibrary';
import { FilterPanel } from './FilterPanel';
import { SaveViewForm } from '../tags/SaveViewForm';
import { useSavedViews, viewShowing } from '../tags/savedViews';
import { activeFilterCount, filtersToApiParams, filtersToSearch, parseFilters, viewQuery, type LibraryFilters, type ViewMode } from './filters';
import { MediaGrid } from './MediaGrid';
import { MediaList } from './MediaList';
import { savePlace, takePlace } from './place';
import type { LibraryEntry } from './entry';

const PAGE_SIZE = 60;

export function LibraryPage() {
  const { search } = useLocation();
  const { me, permissions } = useSession();
  const space = me?.active_space;
  const filters = useMemo(() => parseFilters(search), [search]);

  // Every filter, sort or view change is a history entry (Back returns to the previous view);
  // the search box, which changes as the user types, replaces its entry instead.
  const commit = useCallback((next: LibraryFilters) => {
    navigate(`/${filtersToSearch(next)}`, { keepScroll: true });
  }, []);
  const commitSearch = useCallback((next: LibraryFilters) => {
    navigate(`/${filtersToSearch(next)}`, { replace: true });
  }, []);

  // The search box answers as the user types, without a request per keystroke.
  const [query, setQuery] = useState(filters.q);
  const settledQuery = useDebouncedValue(query, 250);
  useEffect(() => setQuery((current) => (current.trim() === filters.q ? current : filters.q)), [filters.q]);
  useEffect(() => {
    if (settledQuery.trim() !== filters.q) commitSearch({ ...filters, q: settledQuery });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settledQuery]);

  const apiParams = useMemo(() => filtersToApiParams(filters, PAGE_SIZE), [filters]);
  const key = useMemo(() => JSON.stringify(apiParams), [apiParams]);
  const fetchPage = useCallback(
    async (cursor: string | null, signal: AbortSignal) => {
      const page = await listMedia(apiParams, cursor, undefined, signal);
      return { ...page, items: page.items.map(toLibraryEntry) };
    },
    [apiParams],
  );
  const spaceId = space?.id ?? '';
  // Back from a title: the same pages, at the same scroll position.
  const [restored] = useState(() => (cameBack() ? takePlace<LibraryEntry>(spaceId, key) : undefined));
  const { state, loadMore, retry } = usePagedList(key, fetchPage, restored?.state);
  const stateRef = useRef(state);
  stateRef.current = state;
  useEffect(() => {
    if (!restored) return undefined;
    const frame = requestAnimationFrame(() => window.scrollTo(0, restored.scrollY));
    return () => cancelAnimationFrame(frame);
  }, [restored]);
  const rememberPlace = (event: MouseEvent) => {
    const link = (event.target as Element).closest?.('a[href^="/titles/"]');
    if (link) savePlace({ spaceId, key, state: stateRef.current, scrollY: window.scrollY, savedAt: Date.now() });
  };
  const savedViews = useSavedViews(permissions.canAddTitles, spaceId);
  const currentQuery = useMemo(() => viewQuery(filters), [filters]);
  const showing = savedViews.kind === 'ready' ? viewShowing(savedViews.data, currentQuery) : undefined;
  const unfiltered = filters.q === '' && activeFilterCount(filters) === 0;
  const setView = (view: ViewMode) => commit({ ...filters, view });
  const totalText = formatTotal(state.total, state.totalIsLowerBound, ['title', 'titles']);
  // How many titles the view has, for screen readers; unknown (-1) while the server only gives a lower bound.
  const setSize = state.total === null || state.totalIsLowerBound ? -1 : state.total;

  return (
    <Page
      title="Library"
      actions={
        <>
          {permissions.canExport && space && <ExportMenu spaceId={space.id} spaceName={space.name} />}
          {permissions.canAddTitles && (
            <Link to="/add" className="button primary">
              Add title
            </Link>
          )}
        </>
      }
    >
      <div className="library-bar" role="search">
        <label className="search-field">
          <span className="visually-hidden">Search titles</span>
          <input
            type="search"
            placeholder="Search titles, people, barcodes…"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => event.key === 'Enter' && commit({ ...filters, q: query })}
          />
        </label>
        <fieldset className="segmented">
          <legend className="visually-hidden">View</legend>
          {(['grid', 'list'] as const).map((view) => (
            <label key={view} className={filters.view === view ? 'active' : ''}>
              <input type="radio" name="view" value={view} checked={filters.view === view} onChange={() => setView(view)} />
              {view === 'grid' ? 'Grid' : 'List'}
            </label>
          ))}
        </fieldset>
      </div>
      <FilterPanel filters={filters} onChange={commit} />
      {permissions.canAddTitles && <SaveViewForm key={currentQuery} query={currentQuery} showing={showing} />}
      <p className="muted" role="status" aria-live="polite" id="result-count">
        {state.status === 'loading' && state.items.length === 0 ? 'Searching…' : totalText}
      </p>
      {state.status === 'loading' && state.items.length === 0 && <Loading label="Loading titles…" />}
      {state.status === 'failed' && state.items.length === 0 && <ErrorNotice error={state.error} onRetry={retry} />}
      {state.status === 'ready' && state.items.length === 0 && unfiltered && <EmptyLibrary spaceName={space?.name ?? 'This space'} permissions={permissions} />}
      {state.status === 'ready' && state.items.length === 0 && !unfiltered && (
        <div className="empty">
          <p>No titles match this view.</p>
        </div>
      )}
      {state.items.length > 0 && (
        <div onClickCapture={rememberPlace}>
          {filters.view === 'grid' ? <MediaGrid items={state.items} setSize={setSize} /> : <MediaList items={state.items} setSize={setSize} />}
        </div>
      )}
      {state.items.length > 0 && <LoadMore state={state} onLoadMore={loadMore} onRetry={retry} noun="titles" />}
    </Page>
  );
}
