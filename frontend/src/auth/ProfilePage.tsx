import { useState, type FormEvent } from 'react';
import { updateMe, type ProfileInput } from '../api/auth';
import { fieldErrors } from '../app/errors';
import { useAction } from '../app/hooks';
import { useNotices } from '../app/notices';
import { ROLE_LABELS } from '../app/roles';
import { useMe } from '../app/session';
import { Link } from '../app/navigation';
import { ErrorNotice, Page } from '../app/ui';
import { PasswordRules, usePasswordPolicy } from './PasswordRules';
import { SsoLinks } from './SsoButtons';
import { TwoFactorPanel } from './TwoFactorPanel';

export function ProfilePage() {
  const { me, refresh } = useMe();
  const { minimum, rules } = usePasswordPolicy();
  const [name, setName] = useState(me.user.name);
  const [email, setEmail] = useState(me.user.email);
  const [password, setPassword] = useState('');
  const [current, setCurrent] = useState('');
  const action = useAction();
  const { notify } = useNotices();
  const errors = fieldErrors(action.error);
  const sensitive = email.trim() !== me.user.email || password !== '';

  async function submit(event: FormEvent) {
    event.preventDefault();
    const change: ProfileInput = {};
    if (name.trim() !== me.user.name) change.name = name.trim();
    if (email.trim() !== me.user.email) change.email = email.trim();
    if (password) change.password = password;
    if (Object.keys(change).length === 0) return notify('Nothing to save.');
    if (sensitive) change.current_password = current;
    const ok = await action.run(async () => {
      await updateMe(change);
      return true;
    });
    if (ok) {
      setPassword('');
      setCurrent('');
      notify(change.password ? 'Saved. Your other sessions were signed out.' : 'Profile saved.');
      await refresh();
    }
  }

  return (
    <Page title="Profile">
      <form className="form narrow panel" onSubmit={submit} aria-label="Profile">
        <label>
          Name
          <input type="text" required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Email
          <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          {errors.email && <span className="field-error">{errors.email}</span>}
        </label>
        <label>
          New password
          <input
            type="password"
            autoComplete="new-password"
            minLength={minimum}
            value={password}
            placeholder="Leave empty to keep it"
            onChange={(e) => setPassword(e.target.value)}
          />
          <PasswordRules rules={rules} />
          {errors.password && <span className="field-error">{errors.password}</span>}
        </label>
        {sensitive && (
          <label>
            Current password
            <input type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />
            <span className="muted small">Needed to change your email or password.</span>
            {errors.current_password && <span className="field-error">{errors.current_password}</span>}
          </label>
        )}
        <ErrorNotice error={action.error} />
        <button type="submit" className="primary" disabled={action.busy}>
          {action.busy ? 'Saving…' : 'Save profile'}
        </button>
      </form>
      {me.two_factor && <TwoFactorPanel state={me.two_factor} onChange={refresh} />}
      <SsoLinks />
      <h2>API tokens</h2>
      <p>
        Scripts sign in with personal API tokens, not your password: <Link to="/profile/tokens">manage your API tokens</Link>. Every
        endpoint is described in the <a href="/api/docs">API documentation</a>.
      </p>
      <h2>Your spaces</h2>
      <ul>
        {me.spaces.map((space) => (
          <li key={space.id}>
            {space.name} — {ROLE_LABELS[space.role] ?? space.role}
            {space.id === me.active_space?.id && ' (active)'}
          </li>
        ))}
      </ul>
    </Page>
  );
}
