import type { SyncJob } from '../api/types';
import { LoadMore } from '../app/LoadMore';
import { Loading, TableHead, formatDate } from '../app/ui';
import type { usePagedList } from '../app/usePagedList';
import { STATUS_LABELS, summaryLine } from './jobs';
import { JobReport } from './LiveJob';

interface Props {
  /** The section's id; its job details panel is `${id}-details`. */
  id: string;
  title: string;
  /** The table's accessible name. */
  label: string;
  jobs: ReturnType<typeof usePagedList<SyncJob>>;
  openJob: SyncJob | null;
  onOpen: (job: SyncJob | null) => void;
  /** Whether a job's errors CSV can be downloaded (a space's jobs; not the instance's collectZ moves). */
  errorsDownload?: boolean;
}

/** Past jobs, newest first, each with its report one click away. */
export function JobHistory({ id, title, label, jobs, openJob, onOpen, errorsDownload = true }: Props) {
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {jobs.state.status === 'loading' && jobs.state.items.length === 0 && <Loading />}
      {jobs.state.status === 'ready' && jobs.state.items.length === 0 && <p className="muted">No jobs yet.</p>}
      {jobs.state.items.length > 0 && (
        <div className="table-wrap">
          <table className="dense cards-on-phone" aria-label={label}>
            <TableHead columns={['Started', 'Provider', 'Status', 'Result', { hidden: 'Details' }]} />
            <tbody>
              {jobs.state.items.map((job) => (
                <tr key={job.id}>
                  <td data-label="Started">{formatDate(job.started_at ?? job.created_at)}</td>
                  <td data-label="Provider">
                    {job.provider} {job.kind}
                    {job.dry_run && ' (dry run)'}
                  </td>
                  <td data-label="Status">{STATUS_LABELS[job.status] ?? job.status}</td>
                  <td data-label="Result">{summaryLine(job) || job.error || '—'}</td>
                  <td>
                    <button type="button" onClick={() => onOpen(openJob?.id === job.id ? null : job)} aria-expanded={openJob?.id === job.id}>
                      Details
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore state={jobs.state} onLoadMore={jobs.loadMore} onRetry={jobs.retry} noun="jobs" />
      {openJob && (
        <section className="panel" aria-label="Job details" id={`${id}-details`} tabIndex={-1}>
          <JobReport job={openJob} errorsDownload={errorsDownload} />
        </section>
      )}
    </section>
  );
}
