import { useCallback, useMemo, useState, type FormEvent } from 'react';
import type { ActivityFilters } from '../api/spaces';
import type { ActivityRow, Page as ApiPage } from '../api/types';
import { LoadMore } from '../app/LoadMore';
import { formatTotal } from '../app/paging';
import { ErrorNotice, Loading, formatDate, TableHead } from '../app/ui';
import { usePagedList } from '../app/usePagedList';

const FIELDS: Array<[keyof ActivityFilters, string, string]> = [
  ['action', 'Action', 'e.g. library.media.* or identity.invite.created'],
  ['q', 'Text', ''],
  ['user_id', 'User id', ''],
  ['entity_type', 'Entity type', 'e.g. media, invite'],
  ['entity_id', 'Entity id', ''],
];

function toIso(date: string, endOfDay: boolean): string | undefined {
  if (!date) return undefined;
  return new Date(`${date}T${endOfDay ? '23:59:59' : '00:00:00'}`).toISOString();
}

function shortDetails(details: ActivityRow['details']): string {
  if (!details || Object.keys(details).length === 0) return '';
  return Object.entries(details)
    .slice(0, 4)
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(', ');
}

/** The activity log with filters, shared by the space and instance admin pages. */
export function ActivityView({
  load,
  withSpaceFilter = false,
  exportHref,
}: {
  load: (filters: ActivityFilters, cursor: string | null) => Promise<ApiPage<ActivityRow>>;
  withSpaceFilter?: boolean;
  exportHref?: (filters: ActivityFilters) => string;
}) {
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [applied, setApplied] = useState<ActivityFilters>({});
  const key = useMemo(() => JSON.stringify(applied), [applied]);
  const fetchPage = useCallback((cursor: string | null) => load(applied, cursor), [applied, load]);
  const { state, loadMore, retry } = usePagedList<ActivityRow>(key, fetchPage);
  const fields = withSpaceFilter ? [...FIELDS, ['space_id', 'Space id', ''] as [keyof ActivityFilters, string, string]] : FIELDS;

  function submit(event: FormEvent) {
    event.preventDefault();
    const next: ActivityFilters = {};
    for (const [name] of fields) if (draft[name]?.trim()) next[name] = draft[name].trim();
    next.from = toIso(draft.from ?? '', false);
    next.to = toIso(draft.to ?? '', true);
    setApplied(next);
  }

  return (
    <>
      <form className="filters filter-grid" onSubmit={submit} aria-label="Activity filters">
        {fields.map(([name, label, hint]) => (
          <label key={name}>
            {label}
            <input type="text" value={draft[name] ?? ''} placeholder={hint} onChange={(e) => setDraft({ ...draft, [name]: e.target.value })} />
          </label>
        ))}
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
          <button
            type="button"
            onClick={() => {
              setDraft({});
              setApplied({});
            }}
          >
            Clear
          </button>
          {exportHref && (
            <a className="button" href={exportHref(applied)} download>
              Export CSV
            </a>
          )}
        </div>
      </form>
      <p className="muted" role="status">
        {formatTotal(state.total, state.totalIsLowerBound, ['entry', 'entries'])}
      </p>
      {state.status === 'loading' && state.items.length === 0 && <Loading />}
      {state.status === 'failed' && state.items.length === 0 && <ErrorNotice error={state.error} onRetry={retry} />}
      {state.status === 'ready' && state.items.length === 0 && <p>No activity matches these filters.</p>}
      {state.items.length > 0 && (
        <div className="table-wrap">
          <table className="dense" aria-label="Activity">
            <TableHead columns={['When', 'Action', 'User', 'Entity', 'Details']} />
            <tbody>
              {state.items.map((row) => (
                <tr key={row.id}>
                  <td>{formatDate(row.created_at)}</td>
                  <td>
                    <code>{row.action}</code>
                  </td>
                  <td className="small">{String(row.details?.user_email ?? row.user_id ?? '—')}</td>
                  <td className="small">{[row.entity_type, row.entity_id].filter(Boolean).join(' ') || '—'}</td>
                  <td className="small">{shortDetails(row.details)}</td>
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
