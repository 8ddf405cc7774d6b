import { getSyncStatus } from '../api/sync';
import type { SyncJob } from '../api/types';
import { useResource } from '../app/hooks';
import { ErrorNotice, Loading, TableHead, formatDate } from '../app/ui';
import { STATUS_LABELS } from './jobs';
import { STATE_LABELS, providerStatuses, type ProviderState } from './syncStatus';

const BADGES: Record<ProviderState, string> = { idle: '', running: '', failed: 'warn', succeeded: 'ok' };

/** Where each provider of this space stands: its state and latest job, which opens in the job details. */
export function SyncStatus({ spaceId, onOpenJob }: { spaceId: string; onOpenJob: (job: SyncJob) => void }) {
  const status = useResource((signal) => getSyncStatus(undefined, signal), [spaceId]);
  const rows = providerStatuses(status.state.data);

  return (
    <section aria-labelledby="sync-status-title">
      <h2 id="sync-status-title">Sync status</h2>
      {status.state.kind === 'loading' && <Loading label="Loading the sync status…" />}
      <ErrorNotice error={status.state.error} onRetry={status.reload} />
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="dense cards-on-phone" aria-label="Sync status">
            <TableHead columns={['Provider', 'State', 'Last job', { hidden: 'Job' }]} />
            <tbody>
              {rows.map((row) => (
                <tr key={row.provider}>
                  <th scope="row">{row.label}</th>
                  <td data-label="State">
                    <span className={`badge ${BADGES[row.state]}`}>{STATE_LABELS[row.state]}</span>
                  </td>
                  <td data-label="Last job">
                    {row.lastJob
                      ? `${row.lastJob.kind} · ${STATUS_LABELS[row.lastJob.status] ?? row.lastJob.status} · ${formatDate(
                          row.lastJob.finished_at ?? row.lastJob.started_at ?? row.lastJob.created_at,
                        )}`
                      : 'No job yet'}
                  </td>
                  <td>
                    {row.lastJob && (
                      <button type="button" className="link-button" onClick={() => onOpenJob(row.lastJob as SyncJob)}>
                        Open job<span className="visually-hidden"> of {row.label}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
