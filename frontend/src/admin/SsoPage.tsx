import { useState, type FormEvent } from 'react';
import { getInstanceSettings, updateInstanceSettings } from '../api/admin';
import { getSsoConfig, saveSsoConfig, testSsoIssuer } from '../api/sso';
import type { SsoConfig, SsoTestResult } from '../api/types';
import { useAction, useResource } from '../app/hooks';
import { useNotices } from '../app/notices';
import { ErrorNotice, Page, ResourceStatus } from '../app/ui';
import { emptyDraft, fromDraft, toDraft, type SsoDraft } from './ssoForm';

/** Instance admin: OpenID providers (the client secret is write-only) and password sign-in. */
export function SsoPage() {
  const config = useResource(() => getSsoConfig(), []);
  return (
    <Page title="Single sign-on">
      <ResourceStatus state={config.state} onRetry={config.reload} />
      {config.state.kind === 'ready' && <SsoForm saved={config.state.data} onSaved={config.set} />}
      <PasswordLogin />
    </Page>
  );
}

function SsoForm({ saved, onSaved }: { saved: SsoConfig; onSaved: (config: SsoConfig) => void }) {
  const [drafts, setDrafts] = useState<SsoDraft[]>(() => saved.providers.map(toDraft));
  const [problem, setProblem] = useState<string | null>(null);
  const saving = useAction();
  const { notify } = useNotices();

  function change(index: number, patch: Partial<SsoDraft>) {
    setDrafts((current) => current.map((draft, i) => (i === index ? { ...draft, ...patch } : draft)));
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    const results = drafts.map(fromDraft);
    const failed = results.find((result) => 'problem' in result);
    setProblem(failed && 'problem' in failed ? failed.problem : null);
    if (failed) return;
    const providers = results.flatMap((result) => ('provider' in result ? [result.provider] : []));
    const stored = await saving.run(() => saveSsoConfig(providers));
    if (stored) {
      onSaved(stored);
      setDrafts(stored.providers.map(toDraft));
      notify('Single sign-on settings saved.');
    }
  }

  return (
    <form className="form panel" onSubmit={save} aria-label="OpenID providers">
      <p className="muted small">
        Register Shelfspace at your identity provider (Authelia, Authentik, Keycloak …) as a confidential client with the
        redirect URI shown for each provider. See the operations guide, “Single sign-on”.
      </p>
      {drafts.length === 0 && <p>No provider yet: people sign in with a password.</p>}
      {drafts.map((draft, index) => (
        <ProviderFields
          key={index}
          draft={draft}
          onChange={(patch) => change(index, patch)}
          onRemove={() => setDrafts((current) => current.filter((_, i) => i !== index))}
        />
      ))}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <ErrorNotice error={saving.error} />
      <div className="actions">
        <button type="button" onClick={() => setDrafts((current) => [...current, emptyDraft()])}>
          Add provider
        </button>
        <button type="submit" className="primary" disabled={saving.busy}>
          {saving.busy ? 'Saving…' : 'Save'}
        </button>
      </div>
      <p className="muted small">
        Forward-auth sign-in (Remote-User / Remote-Email from a trusted proxy) is {saved.forward_auth ? 'on' : 'off'}; the
        server's FORWARD_AUTH_ENABLED and the gateway's TRUSTED_PROXIES set it.
      </p>
    </form>
  );
}

function ProviderFields(props: { draft: SsoDraft; onChange: (patch: Partial<SsoDraft>) => void; onRemove: () => void }) {
  const { draft, onChange, onRemove } = props;
  const [tested, setTested] = useState<SsoTestResult | null>(null);
  const testing = useAction();
  const text = (field: keyof SsoDraft, label: string, hint?: string) => (
    <label>
      {label}
      <input value={String(draft[field])} onChange={(e) => onChange({ [field]: e.target.value })} />
      {hint && <span className="muted small">{hint}</span>}
    </label>
  );
  const lines = (field: keyof SsoDraft, label: string, hint: string) => (
    <label>
      {label}
      <textarea rows={2} value={String(draft[field])} onChange={(e) => onChange({ [field]: e.target.value })} />
      <span className="muted small">{hint}</span>
    </label>
  );

  async function test() {
    setTested(null);
    const result = await testing.run(() => testSsoIssuer(draft.issuer.trim()));
    if (result) setTested(result);
  }

  return (
    <fieldset aria-label={`Provider ${draft.name || draft.id || 'new'}`}>
      <legend>{draft.name || 'New provider'}</legend>
      {text('id', 'ID', 'Part of the redirect URI; lowercase letters, digits, dashes.')}
      {text('name', 'Name', 'Shown on the sign-in button: “Sign in with …”.')}
      {text('issuer', 'Issuer URL')}
      <div className="actions">
        <button type="button" onClick={test} disabled={testing.busy || !draft.issuer.trim()}>
          {testing.busy ? 'Testing…' : 'Test'}
        </button>
        {tested && (
          <span role="status" className={tested.ok ? 'ok-box' : 'error'}>
            {tested.ok ? '✓ ' : '✗ '}
            {tested.detail}
          </span>
        )}
      </div>
      <ErrorNotice error={testing.error} />
      {draft.redirect_uri && (
        <p className="small">
          Redirect URI: <code>{draft.redirect_uri}</code>
        </p>
      )}
      {text('client_id', 'Client ID')}
      <label>
        Client secret
        <input
          type="password"
          autoComplete="new-password"
          value={draft.client_secret}
          placeholder={draft.secret_set ? 'Saved — type to replace' : ''}
          onChange={(e) => onChange({ client_secret: e.target.value })}
        />
      </label>
      {text('scopes', 'Scopes', 'Must include openid; add groups when roles or allowed groups use them.')}
      {text('email_claim', 'Email claim')}
      {text('name_claim', 'Name claim')}
      {text('groups_claim', 'Groups claim')}
      {lines('allowed_email_domains', 'Allowed email domains', 'One per line; empty: any domain.')}
      {lines('allowed_groups', 'Allowed groups', 'One per line; empty: any group.')}
      {lines('group_roles', 'Group roles', 'One “group = admin” or “group = user” per line; set at every sign-in.')}
      <label>
        <input type="checkbox" checked={draft.auto_create} onChange={(e) => onChange({ auto_create: e.target.checked })} /> Create
        accounts for unknown people (they join spaces by invite)
      </label>
      <button type="button" className="danger" onClick={onRemove}>
        Remove provider
      </button>
    </fieldset>
  );
}

function PasswordLogin() {
  const settings = useResource(() => getInstanceSettings(), []);
  const saving = useAction();
  const { notify } = useNotices();

  async function toggle(on: boolean) {
    const saved = await saving.run(() => updateInstanceSettings({ password_login: on }));
    if (saved) {
      settings.set(saved);
      notify(on ? 'Everyone can sign in with a password.' : 'Only the first administrator signs in with a password now.');
    }
  }

  if (settings.state.kind !== 'ready') return null;
  return (
    <section className="panel" aria-label="Password sign-in">
      <label>
        <input
          type="checkbox"
          checked={settings.state.data.password_login !== false}
          disabled={saving.busy}
          onChange={(e) => toggle(e.target.checked)}
        />{' '}
        Allow password sign-in
      </label>
      <p className="muted small">
        Off: everyone signs in with single sign-on, except the instance's first administrator, whose password keeps working
        as the break-glass account.
      </p>
      <ErrorNotice error={saving.error} />
    </section>
  );
}
