import { useState, type FormEvent } from 'react';
import { listIntegrations, saveIntegration, testIntegration } from '../api/integrations';
import type { IntegrationSettings, IntegrationTestResult, PlexSection } from '../api/types';
import { useAction, useResource } from '../app/hooks';
import { useNotices } from '../app/notices';
import { useSession } from '../app/session';
import { ErrorNotice, Page, ResourceStatus } from '../app/ui';
import { TraktLink } from '../watchlist/TraktLink';
import { NeedsRole } from './NeedsRole';
import { PROVIDER_INFO, STATUS_TEXT, draftFromSettings, secretNeededForMove, settingsChanges } from './providers';

function TestAnswer({ result }: { result: IntegrationTestResult }) {
  return (
    <div role="status" className={result.ok ? 'ok-box' : 'error'}>
      <p>
        <strong>{result.ok ? 'Test passed.' : 'Test failed.'}</strong> {result.detail}
      </p>
      {result.saved_settings === false && <p className="small">These are the values typed in the form: save them to keep them.</p>}
      {result.server_name && (
        <p>
          Server: {result.server_name}
          {result.version && ` (version ${result.version})`}
        </p>
      )}
    </div>
  );
}

function ProviderCard({ spaceId, settings, onSaved }: { spaceId: string; settings: IntegrationSettings; onSaved: () => void }) {
  const info = PROVIDER_INFO[settings.provider];
  const [draft, setDraft] = useState(() => draftFromSettings(settings));
  const [result, setResult] = useState<IntegrationTestResult | null>(null);
  const [offered, setOffered] = useState<PlexSection[]>([]);
  const save = useAction();
  const test = useAction();
  const { notify } = useNotices();
  const id = `provider-${settings.provider}`;
  const sections = draft.sections ?? [];
  const sectionChoices = [...sections, ...offered.filter((o) => !sections.some((s) => s.key === o.key))];
  const secretNeeded = secretNeededForMove(settings, draft);
  // The badge follows a test of the saved settings at once, without reloading the page.
  const [status, setStatus] = useState(settings.status ?? 'untested');

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (secretNeeded) return notify(`Enter the ${info.secretLabel.toLowerCase()} for the new server, or clear the secret first.`);
    const body = settingsChanges(settings, draft);
    if (Object.keys(body).length === 0) return notify(`Nothing changed for ${info.label}.`);
    const ok = await save.run(() => saveIntegration(spaceId, settings.provider, body));
    if (ok) {
      notify(`${info.label} settings saved.`);
      setDraft({ ...draft, token: '' });
      onSaved();
    }
  }

  async function clearSecret() {
    if (!window.confirm(`Clear the stored ${info.secretLabel.toLowerCase()} for ${info.label}?`)) return;
    const ok = await save.run(() => saveIntegration(spaceId, settings.provider, { clear_secret: true }));
    if (ok) {
      notify(`${info.label} secret cleared.`);
      onSaved();
    }
  }

  async function runTest() {
    setResult(null);
    const answer = await test.run(() => testIntegration(spaceId, settings.provider, settingsChanges(settings, draft)));
    if (answer) {
      setResult(answer);
      if (answer.saved_settings !== false) setStatus(answer.ok ? 'ok' : 'failing');
      if (answer.sections) setOffered(answer.sections);
    }
  }

  function toggleSection(section: PlexSection) {
    const on = sections.some((s) => s.key === section.key);
    setDraft({ ...draft, sections: on ? sections.filter((s) => s.key !== section.key) : [...sections, section] });
  }

  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>
        {info.label}{' '}
        <span className={`status status-${status}`}>{STATUS_TEXT[status] ?? status}</span>
      </h2>
      <p className="muted small">{info.help}</p>
      <form className="form" onSubmit={submit} aria-label={`${info.label} settings`}>
        <label>
          Server address
          <input
            type="url"
            value={draft.base_url}
            placeholder="Default: the public service"
            onChange={(e) => setDraft({ ...draft, base_url: e.target.value })}
          />
        </label>
        <label>
          {info.secretLabel}
          <input
            type="password"
            autoComplete="off"
            value={draft.token}
            placeholder={settings.secret_set ? 'Set — type to replace' : 'Not set'}
            required={secretNeeded}
            aria-invalid={secretNeeded || undefined}
            aria-describedby={`${id}-secret`}
            onChange={(e) => setDraft({ ...draft, token: e.target.value })}
          />
          <span id={`${id}-secret`} className="muted small">
            {secretNeeded
              ? `The new address is on another host: enter the ${info.secretLabel.toLowerCase()} for it. The stored one is only sent to the host it was entered for.`
              : settings.secret_set
                ? `Set${settings.secret_hint ? ` (${settings.secret_hint})` : ''}`
                : 'Not set'}
          </span>
        </label>
        {info.extra.map(({ key, label }) => (
          <label key={key}>
            {label}
            <input
              type="text"
              value={draft.extra[key] ?? ''}
              onChange={(e) => setDraft({ ...draft, extra: { ...draft.extra, [key]: e.target.value } })}
            />
          </label>
        ))}
        {draft.sections !== null && (
          <fieldset className="checks">
            <legend>Library sections to import</legend>
            {sectionChoices.length === 0 && <p className="muted small">Run the test to list the server's sections.</p>}
            {sectionChoices.map((section) => (
              <label key={section.key} className="check">
                <input type="checkbox" checked={sections.some((s) => s.key === section.key)} onChange={() => toggleSection(section)} />
                {section.title} <span className="muted small">({section.type})</span>
              </label>
            ))}
          </fieldset>
        )}
        <ErrorNotice error={save.error} />
        <div className="buttons">
          <button type="submit" className="primary" disabled={save.busy}>
            {save.busy ? 'Saving…' : `Save ${info.label}`}
          </button>
          <button type="button" onClick={runTest} disabled={test.busy}>
            {test.busy ? 'Testing…' : `Test ${info.label}`}
          </button>
          {settings.secret_set && (
            <button type="button" className="danger" onClick={clearSecret} disabled={save.busy}>
              Clear secret
            </button>
          )}
        </div>
      </form>
      <ErrorNotice error={test.error} />
      {result && <TestAnswer result={result} />}
    </section>
  );
}

export function IntegrationsPage() {
  const { me, permissions } = useSession();
  const spaceId = me?.active_space?.id ?? '';
  const list = useResource(() => listIntegrations(spaceId), [spaceId]);
  if (!permissions.canManageSpace) {
    return (
      <Page title="Integrations">
        <NeedsRole what="change the integrations" />
      </Page>
    );
  }
  return (
    <Page title="Integrations">
      <p className="muted">Settings for {me?.active_space?.name}. Secrets are stored encrypted and never shown again.</p>
      <ResourceStatus state={list.state} onRetry={list.reload} />
      {list.state.kind === 'ready' &&
        list.state.data.map((settings) => (
          <ProviderCard
            key={`${settings.provider}-${settings.secret_set}-${settings.status}-${settings.base_url ?? ''}`}
            spaceId={spaceId}
            settings={settings}
            onSaved={list.reload}
          />
        ))}
      {/* Your own account, read with the space's Trakt app above; members link theirs on the Watchlist page. */}
      {list.state.kind === 'ready' && permissions.canUseWatchlist && <TraktLink />}
    </Page>
  );
}
