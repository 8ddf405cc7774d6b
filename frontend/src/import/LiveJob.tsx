import { Fragment, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { cancelSyncJob, getSyncJob, jobErrorsCsvUrl } from '../api/sync';
import type { SyncJob } from '../api/types';
import { useAction } from '../app/hooks';
import { ErrorNotice, Progress, TableHead, formatDate } from '../app/ui';
import { STATUS_LABELS, extraCounts, isFinished, notImported, pollDelay, reasonsKept, reportLines } from './jobs';

/** Rows of reasons shown on the page; the CSV download has every one. */
const SHOWN_ERRORS = 100;

export type JobLoader = (id: string, request: undefined, signal: AbortSignal) => Promise<SyncJob>;

/** Polls a job until it finishes (through `load`: a space's jobs unless told otherwise). */
export function useLiveJob(initial: SyncJob | null, load: JobLoader = getSyncJob) {
  const [job, setJob] = useState(initial);
  const [error, setError] = useState<unknown>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => setJob(initial), [initial]);
  const id = job?.id;
  const finished = job ? isFinished(job.status) : true;
  useEffect(() => {
    if (!id || finished) return;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout>;
    const controller = new AbortController();
    const poll = async () => {
      try {
        const next = await loadRef.current(id, undefined, controller.signal);
        setError(null);
        setJob(next);
        if (isFinished(next.status)) return;
      } catch (caught) {
        if (controller.signal.aborted) return;
        setError(caught);
      }
      timer = setTimeout(poll, pollDelay(attempt++));
    };
    timer = setTimeout(poll, 500);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [id, finished]);
  return { job, error, setJob };
}

export function JobReport({
  job,
  dryRun = job.dry_run === true,
  errorsDownload = true,
}: {
  job: SyncJob;
  dryRun?: boolean;
  /** Whether the errors CSV of this job can be downloaded (a space's jobs). */
  errorsDownload?: boolean;
}) {
  const errors = job.summary?.errors ?? [];
  const finished = isFinished(job.status);
  return (
    <div className="job-report">
      <p>
        Status: <strong data-testid="job-status">{STATUS_LABELS[job.status] ?? job.status}</strong>
        {job.finished_at && <span className="muted small"> · {formatDate(job.finished_at)}</span>}
      </p>
      {dryRun && (
        <p className="muted" data-testid="dry-run-note">
          Dry run: nothing is written. The numbers are what an import would do.
        </p>
      )}
      {!finished && job.cancel_requested && <p className="muted">Cancelling: the import stops after the rows it is on.</p>}
      {!finished && (
        <Progress label="Import progress" value={job.progress?.processed ?? 0} max={job.progress?.total ?? null} />
      )}
      {job.error && (
        <p role="alert" className="error">
          {job.error}
        </p>
      )}
      {job.summary && (
        <>
          <dl className="summary" aria-label={dryRun ? 'Dry run summary' : 'Import summary'}>
            <dt>Created</dt>
            <dd>{job.summary.created}</dd>
            <dt>Updated</dt>
            <dd>{job.summary.updated}</dd>
            <dt>Skipped</dt>
            <dd>{job.summary.skipped}</dd>
            <dt>Failed</dt>
            <dd>{job.summary.failed}</dd>
            {extraCounts(job.summary).map(([label, count]) => (
              <Fragment key={label}>
                <dt>{label}</dt>
                <dd>{count}</dd>
              </Fragment>
            ))}
          </dl>
          {job.report && <ImportReport report={job.report} />}
          {errorsDownload && finished && notImported(job.summary) > 0 && (
            <p>
              <a href={jobErrorsCsvUrl(job.id)} download>
                Download the rows that were not imported (CSV)
              </a>
            </p>
          )}
          {errors.length > 0 && (
            <div className="table-wrap">
              <table className="dense" aria-label="Items that were not imported">
                <TableHead columns={['Item', 'Reason']} />
                <tbody>
                  {errors.slice(0, SHOWN_ERRORS).map((e, i) => (
                    <tr key={`${e.item}-${i}`}>
                      <td>{e.item}</td>
                      <td>{e.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {reasonsKept(job.summary) > Math.min(errors.length, SHOWN_ERRORS) && (
                <p className="muted small">
                  The first {Math.min(errors.length, SHOWN_ERRORS)} of {reasonsKept(job.summary)} are shown; the download has
                  every one.
                </p>
              )}
            </div>
          )}
        </>
      )}
    </div>
  );
}

/** An import's report by kind of thing: `{users: {created: 2, …}, titles: {…}}`, plus facts such as the source's version. */
function ImportReport({ report }: { report: Record<string, unknown> }) {
  const { facts, kinds } = reportLines(report);
  if (facts.length === 0 && kinds.length === 0) return null;
  return (
    <div className="table-wrap">
      {facts.length > 0 && <p className="muted">{facts.join(' · ')}</p>}
      {kinds.length > 0 && (
        <table className="dense" aria-label="What the import found">
          <TableHead columns={['Kind', 'Counts']} />
          <tbody>
            {kinds.map(([kind, counts]) => (
              <tr key={kind}>
                <th scope="row">{kind}</th>
                <td>{counts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * A started job followed live: its report, a cancel button while it runs, and `onFinished` once it
 * is over. The region is named by `title` so each kind of import has its own.
 */
export function LiveJobPanel({
  title,
  started,
  canCancel,
  dryRun,
  load,
  cancel: cancelJob = cancelSyncJob,
  errorsDownload,
  onFinished,
  children,
}: {
  title: string;
  started: SyncJob;
  canCancel: boolean;
  dryRun?: boolean;
  /** How to read the job again and to cancel it; a space's jobs by default. */
  load?: JobLoader;
  cancel?: (id: string) => Promise<unknown>;
  errorsDownload?: boolean;
  onFinished?: (job: SyncJob) => void;
  children?: (job: SyncJob) => ReactNode;
}) {
  const live = useLiveJob(started, load);
  const cancel = useAction();
  const reported = useRef<string | null>(null);
  const job = live.job ?? started;
  const finished = isFinished(job.status);
  const headingId = useId();
  const onFinishedRef = useRef(onFinished);
  onFinishedRef.current = onFinished;

  useEffect(() => {
    if (!finished || reported.current === job.id) return;
    reported.current = job.id;
    onFinishedRef.current?.(job);
  }, [finished, job]);

  return (
    <section aria-labelledby={headingId} className="panel" aria-busy={!finished}>
      <h2 id={headingId}>{title}</h2>
      <JobReport job={job} dryRun={dryRun} errorsDownload={errorsDownload} />
      <ErrorNotice error={live.error} />
      <ErrorNotice error={cancel.error} />
      {canCancel && !finished && (
        <button type="button" onClick={() => cancel.run(() => cancelJob(job.id))} disabled={cancel.busy}>
          Cancel import
        </button>
      )}
      {children?.(job)}
    </section>
  );
}
