import { useCallback, useMemo, useState, type FormEvent } from 'react';
import type { ActivityFilters } from '../api/spaces';
import type { ActivityFacets, ActivityNamed, ActivityRow, Page as ApiPage } from '../api/types';
import { LoadMore } from '../app/LoadMore';
import { useResource } from '../app/hooks';
import { navigate, useLocation } from '../app/navigation';
import { formatTotal } from '../app/paging';
import { ErrorNotice, Loading, SelectField, formatDate, TableHead } from '../app/ui';
import { usePagedList } from '../app/usePagedList';
import { activeFilterCount, activitySearch, parseActivitySearch, toApiFilters, type ActivityUrlFilters } from './activityFilters';
import { activitySentence, kindLabel } from './activitySentences';

const PHONE = '(max-width: 36rem)';

function shortDetails(details: ActivityRow['details']): string {
  if (!details || Object.keys(details).length === 0) return '';
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(', ');
}

function namedOptions(named: ActivityNamed[] | undefined, unknown: string): Array<readonly [string, string]> {
  return (named ?? []).map((item) => [item.id, item.name ?? `${unknown} (${item.id.slice(0, 8)})`] as const);
}

function kindOptions(facets: ActivityFacets | undefined): Array<readonly [string, string]> {
  return (facets?.actions ?? [])
    .map((action) => [action, kindLabel(action)] as const)
    .sort((a, b) => a[1].localeCompare(b[1]));
}

/** The activity log as sentences, filtered by a person and a kind picked from what the log holds;
 * the filters live in the URL. Shared by the space and instance admin pages. */
export function ActivityView({
  load,
  loadFacets,
  withSpaceColumn = false,
  exportHref,
}: {
  load: (filters: ActivityFilters, cursor: string | null) => Promise<ApiPage<ActivityRow>>;
  loadFacets: () => Promise<ActivityFacets>;
  withSpaceColumn?: boolean;
  exportHref?: (filters: ActivityFilters) => string;
}) {
  const { pathname, search } = useLocation();
  const applied = useMemo(() => parseActivitySearch(search), [search]);
  const apiFilters = useMemo(() => toApiFilters(applied), [applied]);
  const [draft, setDraft] = useState<ActivityUrlFilters>(applied);
  const key = useMemo(() => JSON.stringify(apiFilters), [apiFilters]);
  const fetchPage = useCallback((cursor: string | null) => load(apiFilters, cursor), [apiFilters, load]);
  const { state, loadMore, retry } = usePagedList<ActivityRow>(key, fetchPage);
  const facets = useResource(() => loadFacets(), [loadFacets]);
  const count = activeFilterCount(applied);
  // Phones fold the filters (open while any applies) so the first screen shows the log itself.
  const [onPhone] = useState(() => window.matchMedia?.(PHONE).matches ?? false);

  // Person, kind and (in the whole log) space are picked from what the log holds (its facets), never typed.
  const data = facets.state.data;
  const pickers = [
    ['Person', 'user_id', 'Everyone', namedOptions(data?.people, 'Unknown person')],
    ['Kind', 'action', 'Every kind', kindOptions(data)],
    ...(withSpaceColumn ? ([['Space', 'space_id', 'Every space', namedOptions(data?.spaces, 'Unnamed space')]] as const) : []),
  ] as const;

  function apply(next: ActivityUrlFilters) {
    setDraft(next);
    navigate(pathname + activitySearch(next), { keepScroll: true });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    apply({ ...applied, q: draft.q?.trim() || undefined, from: draft.from || undefined, to: draft.to || undefined });
  }

  return (
    <>
      <details className="filter-fold" open={!onPhone || count > 0}>
        <summary>Filters{count > 0 ? ` (${count} active)` : ''}</summary>
        <form className="filters filter-grid" onSubmit={submit} aria-label="Activity filters">
          {pickers.map(([label, name, anyLabel, options]) => (
            <SelectField
              key={name}
              label={label}
              value={applied[name] ?? ''}
              anyLabel={anyLabel}
              options={options}
              disabled={facets.state.kind !== 'ready'}
              onChange={(value) => apply({ ...applied, [name]: value || undefined })}
            />
          ))}
          <label>
            Text
            <input
              type="text"
              value={draft.q ?? ''}
              placeholder="In the details"
              onChange={(e) => setDraft({ ...draft, q: e.target.value })}
            />
          </label>
          <label>
            From
            <input type="date" value={draft.from ?? ''} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
          </label>
          <label>
            To
            <input type="date" value={draft.to ?? ''} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
          </label>
          <div className="buttons">
            <button type="submit" className="primary">
              Apply filters
            </button>
            <button type="button" onClick={() => apply({})}>
              Clear
            </button>
            {exportHref && (
              <a className="button" href={exportHref(apiFilters)} download>
                Export CSV
              </a>
            )}
          </div>
        </form>
      </details>
      {facets.state.kind === 'failed' && <ErrorNotice error={facets.state.error} onRetry={facets.reload} />}
      <p className="muted" role="status">
        {formatTotal(state.total, state.totalIsLowerBound, ['entry', 'entries'])}
      </p>
      {state.status === 'loading' && state.items.length === 0 && <Loading />}
      {state.status === 'failed' && state.items.length === 0 && <ErrorNotice error={state.error} onRetry={retry} />}
      {state.status === 'ready' && state.items.length === 0 && <p>No activity matches these filters.</p>}
      {state.items.length > 0 && (
        <div className="table-wrap">
          <table className="dense cards-on-phone" aria-label="Activity">
            <TableHead columns={['When', 'What happened', ...(withSpaceColumn ? ['Space'] : []), 'Details']} />
            <tbody>
              {state.items.map((row) => (
                <tr key={row.id}>
                  <td data-label="When">{formatDate(row.created_at)}</td>
                  <td>
                    <span className="activity-sentence">{activitySentence(row)}</span>
                    <br />
                    <span className="small muted" title={row.action}>
                      {kindLabel(row.action)}
                    </span>
                  </td>
                  {withSpaceColumn && <td className="small" data-label="Space">{row.space_name ?? (row.space_id ? 'A space' : '—')}</td>}
                  <td className="small">
                    {row.details && Object.keys(row.details).length > 0 && (
                      <details>
                        <summary>Details</summary>
                        {shortDetails(row.details)}
                      </details>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {state.items.length > 0 && <LoadMore state={state} onLoadMore={loadMore} onRetry={retry} noun="entries" />}
    </>
  );
}
