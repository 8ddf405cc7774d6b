import { useCallback, useState, type FormEvent } from 'react';
import { listAllSpaces } from '../api/admin';
import { cancelCollectzImport, getCollectzImport, listCollectzImports, startCollectzImport } from '../api/imports';
import type { SyncJob } from '../api/types';
import { useAction, useResource } from '../app/hooks';
import { ErrorNotice, SelectField } from '../app/ui';
import { usePagedList } from '../app/usePagedList';
import { EMPTY_DRAFT, collectzRequest, looksLikeDatabaseUrl, redactedUrl, sameInputs, type CollectzDraft } from './collectz';
import { isFinished } from './jobs';
import { JobHistory } from './JobHistory';
import { LiveJobPanel } from './LiveJob';

interface Run {
  job: SyncJob;
  dryRun: boolean;
  /** A dry run's inputs, in memory only, so the import is offered for exactly what was checked. */
  inputs: CollectzDraft | null;
  /** Which database the report is about, with its password hidden. */
  database: string;
}

/**
 * Moving a whole collectZ install (instance admins): a dry-run report first, then the import. The URL
 * and key live in this component's state only and are cleared once the import starts.
 */
export function CollectzImport({ onJobFinished }: { onJobFinished: () => void }) {
  const [draft, setDraft] = useState<CollectzDraft>(EMPTY_DRAFT);
  const [run, setRun] = useState<Run | null>(null);
  const [checked, setChecked] = useState<CollectzDraft | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const spaces = useResource(() => listAllSpaces(), []);
  const start = useAction();
  const fetchPast = useCallback((cursor: string | null, signal: AbortSignal) => listCollectzImports(cursor, undefined, signal), []);
  const past = usePagedList<SyncJob>('collectz-imports', fetchPast);
  const [openPast, setOpenPast] = useState<SyncJob | null>(null);
  const running = !!run && !isFinished(run.job.status);
  const canImport = sameInputs(checked, draft) && !running;

  async function begin(dryRun: boolean) {
    setProblem(null);
    if (!looksLikeDatabaseUrl(draft.databaseUrl)) {
      return setProblem('Enter the collectZ database URL, such as postgresql://reader:password@db-host:5432/collectz.');
    }
    const inputs = draft;
    const job = await start.run(() => startCollectzImport(collectzRequest(inputs, dryRun)));
    if (!job) return;
    setRun({ job, dryRun, inputs: dryRun ? inputs : null, database: redactedUrl(inputs.databaseUrl) });
    if (!dryRun) {
      setDraft(EMPTY_DRAFT);
      setChecked(null);
    }
  }

  function finished(job: SyncJob) {
    setRun((current) => (current && current.job.id === job.id ? { ...current, job } : current));
    if (run?.inputs && job.status === 'succeeded') setChecked(run.inputs);
    onJobFinished();
    past.reload();
  }

  const set = (change: Partial<CollectzDraft>) => setDraft({ ...draft, ...change });
  const spaceOptions = (spaces.state.data ?? []).map((space) => [space.id, space.name] as const);

  return (
    <section aria-labelledby="collectz-title" className="panel">
      <h2 id="collectz-title">Move from collectZ</h2>
      <p className="muted">
        Brings a whole collectZ install across: titles and copies, people (who keep their passwords), libraries as spaces,
        and integration settings. Use a read-only database account. Nothing you enter here is saved in this browser.
      </p>
      <form
        className="form"
        aria-label="collectZ database"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          void begin(true);
        }}
        autoComplete="off"
      >
        <label>
          collectZ database URL
          <input
            type="text"
            value={draft.databaseUrl}
            onChange={(event) => set({ databaseUrl: event.target.value })}
            placeholder="postgresql://reader:password@db-host:5432/collectz"
            spellCheck={false}
            autoComplete="off"
            required
          />
        </label>
        <label>
          collectZ encryption key <span className="muted small">(optional: carries the integration secrets over)</span>
          <input
            type="password"
            value={draft.encryptionKey}
            onChange={(event) => set({ encryptionKey: event.target.value })}
            autoComplete="new-password"
          />
        </label>
        <SelectField
          label="Into space"
          value={draft.spaceId}
          anyLabel="Each collectZ library becomes a space"
          options={spaceOptions}
          onChange={(spaceId) => set({ spaceId })}
        />
        <ErrorNotice error={spaces.state.error} onRetry={spaces.reload} />
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        <div className="buttons">
          <button type="submit" disabled={start.busy || running}>
            Dry run
          </button>
          <button type="button" className="primary" disabled={start.busy || !canImport} onClick={() => begin(false)}>
            Import from collectZ
          </button>
        </div>
        {!canImport && !running && <p className="muted small">Run a dry run first; the import uses the same settings.</p>}
      </form>
      <ErrorNotice error={start.error} />
      {run && (
        <LiveJobPanel
          key={run.job.id}
          title={run.dryRun ? 'collectZ dry run' : 'collectZ import'}
          started={run.job}
          dryRun={run.dryRun}
          load={getCollectzImport}
          cancel={cancelCollectzImport}
          canCancel
          errorsDownload={false}
          onFinished={finished}
        >
          {() => <p className="muted small">Database: {run.database}</p>}
        </LiveJobPanel>
      )}
      <JobHistory id="collectz-history" title="Past collectZ imports" label="collectZ imports" jobs={past} openJob={openPast} onOpen={setOpenPast} errorsDownload={false} />
    </section>
  );
}
