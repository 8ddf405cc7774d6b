import { listFeatureFlags, setFeatureFlag } from '../api/admin';
import type { FeatureFlag } from '../api/types';
import { useResource, useRowAction } from '../app/hooks';
import { useNotices } from '../app/notices';
import { useSession } from '../app/session';
import { ErrorNotice, Page, ResourceStatus } from '../app/ui';

export function FlagsPage() {
  const flags = useResource(() => listFeatureFlags(), []);
  const { notify } = useNotices();
  const row = useRowAction(notify);
  const busy = row.busy;
  const { refresh } = useSession();

  async function toggle(flag: FeatureFlag) {
    const done = `${flag.key} ${flag.enabled ? 'turned off' : 'turned on'}.`;
    if (!(await row.act(flag.key, () => setFeatureFlag(flag.key, !flag.enabled), done))) return;
    flags.reload();
    await refresh();
  }

  return (
    <Page title="Feature flags">
      <ErrorNotice error={row.error} />
      <ResourceStatus state={flags.state} onRetry={flags.reload} />
      {flags.state.kind === 'ready' && flags.state.data.length === 0 && <p>No feature flags.</p>}
      {flags.state.kind === 'ready' && (
        <ul className="rows" aria-label="Feature flags">
          {flags.state.data.map((flag) => (
            <li key={flag.key} className="row">
              <label className="check">
                <input type="checkbox" checked={flag.enabled} disabled={busy === flag.key} onChange={() => toggle(flag)} />
                <span>
                  <code>{flag.key}</code>
                  {flag.description && <span className="muted small"> — {flag.description}</span>}
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
