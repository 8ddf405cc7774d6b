import { useState, type FormEvent } from 'react';
import { register } from '../api/auth';
import { fieldErrors } from '../app/errors';
import { useAction } from '../app/hooks';
import { Link, navigate } from '../app/navigation';
import { useSession } from '../app/session';
import { ErrorNotice, Page } from '../app/ui';
import { PasswordRules, usePasswordPolicy } from './PasswordRules';

/** Registration: the first account of an install (the administrator), by invitation, or open sign-up. */
export function RegisterPage({ inviteToken }: { inviteToken?: string }) {
  const { state, refresh } = useSession();
  const firstRun = state.kind === 'signed-out' && state.config?.first_run === true;
  const { minimum, rules } = usePasswordPolicy();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const action = useAction();
  const errors = fieldErrors(action.error);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMismatch(password !== confirm);
    if (password !== confirm) return;
    const ok = await action.run(() =>
      register({ name: name.trim(), email: email.trim(), password, invite_token: inviteToken }),
    );
    if (ok) {
      await refresh();
      navigate('/', { replace: true });
    }
  }

  const title = firstRun ? 'Set up Shelfspace' : inviteToken ? 'Accept your invitation' : 'Create an account';
  return (
    <Page title={title}>
      {firstRun && (
        <p className="panel intro">
          This is a new install. The account you create now becomes the <strong>administrator</strong> of this Shelfspace
          and the owner of its first space. Everyone else joins by invitation.
        </p>
      )}
      {inviteToken && !firstRun && <p>You were invited to a shared space. Create your account to join it.</p>}
      <form className="form narrow panel" onSubmit={submit} aria-label={firstRun ? 'Create the administrator account' : 'Create an account'}>
        <label>
          Name
          <input type="text" autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} />
          {errors.name && <span className="field-error">{errors.name}</span>}
        </label>
        <label>
          Email
          <input type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          {errors.email && <span className="field-error">{errors.email}</span>}
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="new-password"
            required
            minLength={minimum}
            value={password}
            aria-describedby="password-help"
            onChange={(e) => setPassword(e.target.value)}
          />
          <PasswordRules id="password-help" rules={rules} />
          {errors.password && <span className="field-error">{errors.password}</span>}
        </label>
        <label>
          Repeat password
          <input type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} />
          {mismatch && (
            <span className="field-error" role="alert">
              The passwords do not match.
            </span>
          )}
        </label>
        <ErrorNotice error={action.error} />
        <button type="submit" className="primary" disabled={action.busy}>
          {action.busy ? 'Creating…' : firstRun ? 'Create administrator account' : 'Create account'}
        </button>
        {!firstRun && (
          <p>
            Already have an account?{' '}
            <Link to={`/login${inviteToken ? `?next=${encodeURIComponent(`/invite/${inviteToken}`)}` : ''}`}>Sign in</Link>
          </p>
        )}
      </form>
    </Page>
  );
}
