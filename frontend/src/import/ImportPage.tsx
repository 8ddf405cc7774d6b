import { useCallback, useEffect, useState } from 'react';
import { listIntegrations, testIntegration } from '../api/integrations';
import { listSyncJobs, startPlexImport } from '../api/sync';
import type { PlexSection, SyncJob } from '../api/types';
import { useAction, useResource } from '../app/hooks';
import { Link } from '../app/navigation';
import { useSession } from '../app/session';
import { ErrorNotice, Loading, Page } from '../app/ui';
import { usePagedList } from '../app/usePagedList';
import { CollectzImport } from './CollectzImport';
import { FileImport } from './FileImport';
import { isFinished } from './jobs';
import { JobHistory } from './JobHistory';
import { LiveJobPanel } from './LiveJob';
import { SchedulesSection } from './SchedulesSection';
import { SyncStatus } from './SyncStatus';

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
  const [openJob, setOpenJob] = useState<SyncJob | null>(null);
  const fetchJobs = useCallback((cursor: string | null) => listSyncJobs({}, cursor), []);
  const jobs = usePagedList<SyncJob>(`jobs-${spaceId}`, fetchJobs);
  const { reload: reloadJobs } = jobs;

  function openDetails(job: SyncJob) {
    setOpenJob(job);
    requestAnimationFrame(() => document.getElementById('history-details')?.focus());
  }

  return (
    <Page title="Import">
      {permissions.canStartImport ? (
        <>
          <StartImport spaceId={spaceId} onStarted={setStarted} />
          {started && (
            <LiveJobPanel key={started.id} title="Current import" started={started} canCancel onFinished={reloadJobs}>
              {(job) => isFinished(job.status) && <Link to="/">Open the library</Link>}
            </LiveJobPanel>
          )}
          <FileImport onJobFinished={reloadJobs} />
        </>
      ) : (
        <p className="muted">Only owners and admins of this space can start an import. You can follow the jobs below.</p>
      )}
      {permissions.isInstanceAdmin && <CollectzImport onJobFinished={reloadJobs} />}
      <SyncStatus key={`${spaceId}-${jobs.state.items[0]?.id ?? ''}-${jobs.state.items[0]?.status ?? ''}`} spaceId={spaceId} onOpenJob={openDetails} />
      <JobHistory id="history" title="Job history" label="Import jobs" jobs={jobs} openJob={openJob} onOpen={setOpenJob} />
      {permissions.canScheduleImports && <SchedulesSection spaceId={spaceId} />}
    </Page>
  );
}
