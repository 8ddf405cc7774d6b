import { useState, type FormEvent } from 'react';
import { login } from '../api/auth';
import { useAction } from '../app/hooks';
import { Link, navigate, useLocation } from '../app/navigation';
import { safeReturnPath } from '../app/routes';
import { useSession } from '../app/session';
import { ErrorNotice, Page } from '../app/ui';

export function LoginPage() {
  const { pathname, search } = useLocation();
  // Signed out on any page: sign in right there and stay on it.
  const next = safeReturnPath(new URLSearchParams(search).get('next') ?? (pathname === '/login' ? '/' : pathname + search));
  const { refresh, state } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  const open = state.kind === 'signed-out' && state.config?.registration === 'open';
  const resetByEmail = state.kind === 'signed-out' && state.config?.password_reset_by_email === true;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const ok = await action.run(() => login(email.trim(), password));
    if (ok) {
      await refresh();
      navigate(next, { replace: true });
    }
  }

  return (
    <Page title="Sign in">
      <form className="form narrow panel" onSubmit={submit} aria-label="Sign in">
        <label>
          Email
          <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Password
          <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <ErrorNotice error={action.error} />
        <button type="submit" className="primary" disabled={action.busy}>
          {action.busy ? 'Signing in…' : 'Sign in'}
        </button>
        {resetByEmail && (
          <p>
            <Link to="/forgot-password">Forgot password?</Link>
          </p>
        )}
        {open && (
          <p>
            New here? <Link to="/register">Create an account</Link>
          </p>
        )}
      </form>
    </Page>
  );
}
