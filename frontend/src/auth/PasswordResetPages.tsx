import { useState, type FormEvent } from 'react';
import { requestPasswordReset, resetPassword } from '../api/auth';
import { ApiError } from '../api/client';
import { fieldErrors } from '../app/errors';
import { useAction } from '../app/hooks';
import { Link, navigate, useLocation } from '../app/navigation';
import { useNotices } from '../app/notices';
import { useSession } from '../app/session';
import { ErrorNotice, Page } from '../app/ui';
import { resetLinkProblem, resetTokenFrom } from './accounts';
import { PasswordRules, usePasswordPolicy } from './PasswordRules';

/** /forgot-password: ask for a reset link by email (offered only when the server can send mail). */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const action = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const ok = await action.run(async () => {
      await requestPasswordReset(email.trim());
      return true;
    });
    if (ok) setSent(true);
  }

  return (
    <Page title="Forgot your password?">
      {sent ? (
        <div className="panel" role="status">
          <p>
            If <strong>{email.trim()}</strong> belongs to an account here, an email with a link to choose a new password is on its way. The
            link works once and for a limited time.
          </p>
          <Link to="/login">Back to sign in</Link>
        </div>
      ) : (
        <form className="form narrow panel" onSubmit={submit} aria-label="Ask for a reset link">
          <p>Enter the email address of your account. We will send you a link to choose a new password.</p>
          <label>
            Email
            <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
          <ErrorNotice error={action.error} />
          <button type="submit" className="primary" disabled={action.busy}>
            {action.busy ? 'Sending…' : 'Send reset link'}
          </button>
          <Link to="/login">Back to sign in</Link>
        </form>
      )}
    </Page>
  );
}

/** /reset-password?token=…: choose a new password with a one-time link; every session ends. */
export function ResetPasswordPage() {
  const { search } = useLocation();
  const token = resetTokenFrom(search);
  const { refresh } = useSession();
  const { minimum, rules } = usePasswordPolicy();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const action = useAction();
  const { notify } = useNotices();
  const errors = fieldErrors(action.error);
  const problem = action.error instanceof ApiError ? resetLinkProblem(action.error.code) : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMismatch(password !== confirm);
    if (password !== confirm) return;
    const ok = await action.run(async () => {
      await resetPassword(token, password);
      return true;
    });
    if (ok) {
      notify('Your password was changed. Every session was signed out: sign in with the new password.');
      await refresh();
      navigate('/login', { replace: true });
    }
  }

  if (!token) {
    return (
      <Page title="Choose a new password">
        <p role="alert" className="error">
          This page needs the link from your reset email or from your administrator.
        </p>
      </Page>
    );
  }
  return (
    <Page title="Choose a new password">
      <form className="form narrow panel" onSubmit={submit} aria-label="Choose a new password">
        <label>
          New password
          <input type="password" autoComplete="new-password" required minLength={minimum} value={password} onChange={(e) => setPassword(e.target.value)} />
          <PasswordRules rules={rules} />
          {errors.password && <span className="field-error">{errors.password}</span>}
        </label>
        <label>
          Repeat the new password
          <input type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} />
          {mismatch && <span className="field-error">The two passwords differ.</span>}
        </label>
        {problem ? (
          <p role="alert" className="error">
            {problem}
          </p>
        ) : (
          <ErrorNotice error={errors.password ? null : action.error} />
        )}
        <button type="submit" className="primary" disabled={action.busy}>
          {action.busy ? 'Saving…' : 'Set the new password'}
        </button>
      </form>
    </Page>
  );
}
