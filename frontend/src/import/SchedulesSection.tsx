import { useEffect, useState } from 'react';
import { listSchedules, saveSchedules } from '../api/sync';
import type { SyncSchedule } from '../api/types';
import { useAction, useResource } from '../app/hooks';
import { useNotices } from '../app/notices';
import { ErrorNotice, Loading, formatDate } from '../app/ui';

const DEFAULT_SCHEDULE: SyncSchedule = { provider: 'plex', kind: 'import', every_minutes: 1440, enabled: false, next_run_at: null };

export function SchedulesSection({ spaceId }: { spaceId: string }) {
  const loaded = useResource(() => listSchedules(spaceId), [spaceId]);
  const [rows, setRows] = useState<SyncSchedule[]>([]);
  const save = useAction();
  const { notify } = useNotices();

  useEffect(() => {
    if (loaded.state.data) setRows(loaded.state.data.length ? loaded.state.data : [DEFAULT_SCHEDULE]);
  }, [loaded.state.data]);

  const update = (index: number, change: Partial<SyncSchedule>) =>
    setRows(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));

  async function submit() {
    const body = rows.map(({ provider, kind, every_minutes, enabled }) => ({ provider, kind, every_minutes, enabled }));
    const saved = await save.run(() => saveSchedules(spaceId, body));
    if (saved) {
      if (saved.length) setRows(saved);
      notify('Schedules saved.');
    }
  }

  return (
    <section aria-labelledby="schedules-title">
      <h2 id="schedules-title">Schedules</h2>
      {loaded.state.kind === 'loading' && <Loading />}
      <ErrorNotice error={loaded.state.error} onRetry={loaded.reload} />
      {rows.map((row, index) => (
        <fieldset key={`${row.provider}-${row.kind}`} className="form-row">
          <legend>
            {row.provider} {row.kind}
          </legend>
          <label className="check">
            <input type="checkbox" checked={row.enabled} onChange={(e) => update(index, { enabled: e.target.checked })} />
            Run automatically
          </label>
          <label>
            Every (minutes)
            <input
              type="number"
              min={15}
              step={15}
              value={row.every_minutes}
              onChange={(e) => update(index, { every_minutes: Number(e.target.value) })}
            />
          </label>
          <span className="muted small">Next run: {row.enabled ? formatDate(row.next_run_at) : 'off'}</span>
        </fieldset>
      ))}
      <ErrorNotice error={save.error} />
      {rows.length > 0 && (
        <button type="button" className="primary" onClick={submit} disabled={save.busy}>
          {save.busy ? 'Saving…' : 'Save schedules'}
        </button>
      )}
    </section>
  );
}
