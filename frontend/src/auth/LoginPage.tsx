import { useState, type FormEvent } from 'react';
import { login, loginSecondFactor } from '../api/auth';
import { ApiError } from '../api/client';
import type { TwoFactorChallenge } from '../api/types';
import { useAction } from '../app/hooks';
import { Link, navigate, useLocation } from '../app/navigation';
import { safeReturnPath } from '../app/routes';
import { useSession } from '../app/session';
import { ErrorNotice, Page } from '../app/ui';
import { cleanCode, needsSecondFactor } from './accounts';
import { SsoButtons } from './SsoButtons';

export function LoginPage() {
  const { pathname, search } = useLocation();
  // Signed out on any page: sign in right there and stay on it.
  const next = safeReturnPath(new URLSearchParams(search).get('next') ?? (pathname === '/login' ? '/' : pathname + search));
  const { refresh, state } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  // After the right password of an account with two-factor sign-in: kept in memory only.
  const [challenge, setChallenge] = useState<TwoFactorChallenge | null>(null);
  const open = state.kind === 'signed-out' && state.config?.registration === 'open';
  const resetByEmail = state.kind === 'signed-out' && state.config?.password_reset_by_email === true;
  const providers = (state.kind === 'signed-out' && state.config?.sso) || [];
  const passwordLogin = !(state.kind === 'signed-out' && state.config?.password_login === false);
  // A refused single sign-on comes back here with its reason.
  const ssoError = new URLSearchParams(search).get('sso_error');

  async function submit(event: FormEvent) {
    event.preventDefault();
    const answer = await action.run(() => login(email.trim(), password));
    if (needsSecondFactor(answer)) {
      setPassword('');
      setChallenge(answer);
    } else if (answer) {
      await refresh();
      navigate(next, { replace: true });
    }
  }

  async function signedIn() {
    await refresh();
    navigate(next, { replace: true });
  }

  if (challenge) {
    return <SecondFactorStep challenge={challenge} onDone={signedIn} onRestart={() => setChallenge(null)} />;
  }

  const passwordForm = (
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
  );

  return (
    <Page title="Sign in">
      {ssoError && (
        <p className="error" role="alert">
          Single sign-on did not sign you in: {ssoError}
        </p>
      )}
      <SsoButtons providers={providers} next={next} forwardAuth={state.kind === 'signed-out' && state.config?.forward_auth === true} />
      {passwordLogin ? (
        passwordForm
      ) : (
        <details>
          <summary>Administrator sign-in with a password</summary>
          {passwordForm}
        </details>
      )}
    </Page>
  );
}

/** The second step: a code from the authenticator app, or one of the recovery codes. */
function SecondFactorStep(props: { challenge: TwoFactorChallenge; onDone: () => Promise<void>; onRestart: () => void }) {
  const { challenge, onDone, onRestart } = props;
  const [useRecovery, setUseRecovery] = useState(false);
  const [value, setValue] = useState('');
  const action = useAction();
  const expired = action.error instanceof ApiError && action.error.code === 'two_factor_challenge_invalid';

  async function submit(event: FormEvent) {
    event.preventDefault();
    const factor = useRecovery ? { recovery_code: value.trim() } : { code: cleanCode(value) };
    const ok = await action.run(() => loginSecondFactor(challenge.challenge_token, factor));
    if (ok) await onDone();
  }

  return (
    <Page title="Two-factor sign-in">
      <form className="form narrow panel" onSubmit={submit} aria-label="Two-factor sign-in">
        {useRecovery ? (
          <label>
            Recovery code
            <input autoComplete="off" required value={value} onChange={(e) => setValue(e.target.value)} />
            <span className="muted small">Each recovery code works once.</span>
          </label>
        ) : (
          <label>
            Authentication code
            <input
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              pattern="[0-9 ]{6,7}"
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
            <span className="muted small">The 6-digit code your authenticator app shows for Shelfspace.</span>
          </label>
        )}
        <ErrorNotice error={action.error} />
        {expired ? (
          <button type="button" className="primary" onClick={onRestart}>
            Sign in again
          </button>
        ) : (
          <button type="submit" className="primary" disabled={action.busy}>
            {action.busy ? 'Checking…' : 'Continue'}
          </button>
        )}
        <p>
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setUseRecovery(!useRecovery);
              setValue('');
            }}
          >
            {useRecovery ? 'Use the authenticator app instead' : 'Use a recovery code instead'}
          </button>
        </p>
      </form>
    </Page>
  );
}
