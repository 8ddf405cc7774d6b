import { useCallback, useEffect, useState } from 'react';
import { listIntegrations, testIntegration } from '../api/integrations';
import { cancelSyncJob, getSyncJob, listSyncJobs, startPlexImport } from '../api/sync';
import type { PlexSection, SyncJob } from '../api/types';
import { useAction, useResource } from '../app/hooks';
import { Link } from '../app/navigation';
import { LoadMore } from '../app/LoadMore';
import { useSession } from '../app/session';
import { ErrorNotice, Loading, Page, Progress, formatDate, TableHead } from '../app/ui';
import { usePagedList } from '../app/usePagedList';
import { STATUS_LABELS, isFinished, pollDelay, summaryLine } from './jobs';
import { SchedulesSection } from './SchedulesSection';

/** Polls a job until it finishes. */
function useLiveJob(initial: SyncJob | null) {
  const [job, setJob] = useState(initial);
  const [error, setError] = useState<unknown>(null);
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
        const next = await getSyncJob(id, undefined, controller.signal);
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

export function JobReport({ job }: { job: SyncJob }) {
  const errors = job.summary?.errors ?? [];
  return (
    <div className="job-report">
      <p>
        Status: <strong data-testid="job-status">{STATUS_LABELS[job.status] ?? job.status}</strong>
        {job.finished_at && <span className="muted small"> · {formatDate(job.finished_at)}</span>}
      </p>
      {!isFinished(job.status) && (
        <Progress label="Import progress" value={job.progress?.processed ?? 0} max={job.progress?.total ?? null} />
      )}
      {job.error && (
        <p role="alert" className="error">
          {job.error}
        </p>
      )}
      {job.summary && (
        <>
          <dl className="summary" aria-label="Import summary">
            <dt>Created</dt>
            <dd>{job.summary.created}</dd>
            <dt>Updated</dt>
            <dd>{job.summary.updated}</dd>
            <dt>Skipped</dt>
            <dd>{job.summary.skipped}</dd>
            <dt>Failed</dt>
            <dd>{job.summary.failed}</dd>
          </dl>
          {errors.length > 0 && (
            <div className="table-wrap">
              <table className="dense" aria-label="Items that were not imported">
                <TableHead columns={['Item', 'Reason']} />
                <tbody>
                  {errors.map((e, i) => (
                    <tr key={`${e.item}-${i}`}>
                      <td>{e.item}</td>
                      <td>{e.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </div>
  );
}

function StartImport({ spaceId, onStarted }: { spaceId: string; onStarted: (job: SyncJob) => void }) {
  const settings = useResource(async () => (await listIntegrations(spaceId)).find((s) => s.provider === 'plex'), [spaceId]);
  const [sections, setSections] = useState<PlexSection[] | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const discover = useAction();
  const start = useAction();
  const configured = settings.state.data?.library_sections ?? [];
  const shown = sections ?? configured;

  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const known = settings.state.data?.library_sections ?? [];
    if (known.length) setChosen(new Set(known.map((s) => s.key)));
  }, [settings.state.data]);

  async function findSections() {
    setProblem(null);
    const result = await discover.run(() => testIntegration(spaceId, 'plex'));
    if (!result) return;
    if (!result.ok) return setProblem(result.detail || 'The Plex server did not answer as expected.');
    setSections(result.sections ?? []);
  }

  function toggle(key: string) {
    const next = new Set(chosen);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setChosen(next);
  }

  async function begin() {
    const job = await start.run(() => startPlexImport([...chosen]));
    if (job) onStarted(job);
  }

  if (settings.state.kind === 'loading') return <Loading label="Loading the Plex settings…" />;
  return (
    <section aria-labelledby="start-title" className="panel">
      <h2 id="start-title">Import from Plex</h2>
      <ErrorNotice error={settings.state.error} onRetry={settings.reload} />
      {settings.state.data && !settings.state.data.secret_set && (
        <p>
          Plex is not set up for this space yet. <Link to="/space/integrations">Set up Plex</Link> first.
        </p>
      )}
      <fieldset className="checks">
        <legend>Plex sections to import</legend>
        {shown.length === 0 && <p className="muted">No sections known yet. Use “Find sections” to ask the Plex server.</p>}
        {shown.map((section) => (
          <label key={section.key} className="check">
            <input type="checkbox" checked={chosen.has(section.key)} onChange={() => toggle(section.key)} />
            {section.title} <span className="muted small">({section.type})</span>
          </label>
        ))}
      </fieldset>
      {discover.busy && <Loading label="Asking the Plex server…" />}
      <ErrorNotice error={discover.error} />
      {problem && (
        <p role="alert" className="error">
          Plex test failed: {problem}
        </p>
      )}
      <div className="buttons">
        <button type="button" onClick={findSections} disabled={discover.busy}>
          Find sections
        </button>
        <button type="button" className="primary" onClick={begin} disabled={start.busy || chosen.size === 0}>
          {start.busy ? 'Starting…' : 'Start import'}
        </button>
      </div>
      <ErrorNotice error={start.error} />
    </section>
  );
}

export function ImportPage() {
  const { me, permissions } = useSession();
  const spaceId = me?.active_space?.id ?? '';
  const [started, setStarted] = useState<SyncJob | null>(null);
  const live = useLiveJob(started);
  const [openJob, setOpenJob] = useState<SyncJob | null>(null);
  const fetchJobs = useCallback((cursor: string | null) => listSyncJobs({}, cursor), []);
  const jobs = usePagedList<SyncJob>(`jobs-${spaceId}`, fetchJobs);
  const cancel = useAction();
  const { reload: reloadJobs } = jobs;

  useEffect(() => {
    if (live.job && isFinished(live.job.status)) reloadJobs();
  }, [live.job, reloadJobs]);

  return (
    <Page title="Import">
      {permissions.canStartImport ? (
        <StartImport spaceId={spaceId} onStarted={setStarted} />
      ) : (
        <p className="muted">Only owners and admins of this space can start an import. You can follow the jobs below.</p>
      )}
      {live.job && (
        <section aria-labelledby="current-title" className="panel" aria-busy={!isFinished(live.job.status)}>
          <h2 id="current-title">Current import</h2>
          <JobReport job={live.job} />
          <ErrorNotice error={live.error} />
          <ErrorNotice error={cancel.error} />
          {permissions.canStartImport && !isFinished(live.job.status) && (
            <button
              type="button"
              onClick={async () => {
                const id = live.job?.id;
                if (id) await cancel.run(() => cancelSyncJob(id));
              }}
            >
              Cancel import
            </button>
          )}
          {isFinished(live.job.status) && <Link to="/">Open the library</Link>}
        </section>
      )}
      <section aria-labelledby="history-title">
        <h2 id="history-title">Job history</h2>
        {jobs.state.status === 'loading' && jobs.state.items.length === 0 && <Loading />}
        {jobs.state.status === 'ready' && jobs.state.items.length === 0 && <p className="muted">No jobs yet.</p>}
        {jobs.state.items.length > 0 && (
          <div className="table-wrap">
            <table className="dense" aria-label="Import jobs">
              <TableHead columns={['Started', 'Provider', 'Status', 'Result', { hidden: 'Details' }]} />
              <tbody>
                {jobs.state.items.map((job) => (
                  <tr key={job.id}>
                    <td>{formatDate(job.started_at ?? job.created_at)}</td>
                    <td>
                      {job.provider} {job.kind}
                    </td>
                    <td>{STATUS_LABELS[job.status] ?? job.status}</td>
                    <td>{summaryLine(job) || job.error || '—'}</td>
                    <td>
                      <button type="button" onClick={() => setOpenJob(openJob?.id === job.id ? null : job)} aria-expanded={openJob?.id === job.id}>
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
          <section className="panel" aria-label="Job details">
            <JobReport job={openJob} />
          </section>
        )}
      </section>
      {permissions.canScheduleImports && <SchedulesSection spaceId={spaceId} />}
    </Page>
  );
}
