import { useState, type FormEvent } from 'react';
import { disableTwoFactor, enableTwoFactor, setupTwoFactor } from '../api/auth';
import type { TwoFactorSetup, TwoFactorState } from '../api/types';
import { fieldErrors } from '../app/errors';
import { useAction } from '../app/hooks';
import { useNotices } from '../app/notices';
import { ShownOnce } from '../app/ShownOnce';
import { ErrorNotice } from '../app/ui';
import { cleanCode, manualEntryKey, qrImageSource } from './accounts';

/** Two-factor sign-in on the profile page: set up (QR code, one code, recovery codes shown once) or turn off. */
export function TwoFactorPanel({ state, onChange }: { state: TwoFactorState; onChange: () => Promise<void> }) {
  const [setup, setSetup] = useState<TwoFactorSetup | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const action = useAction();
  const errors = fieldErrors(action.error);
  const { notify } = useNotices();

  async function start() {
    const started = await action.run(() => setupTwoFactor());
    if (started) setSetup(started);
  }

  async function confirm(event: FormEvent) {
    event.preventDefault();
    const enabled = await action.run(() => enableTwoFactor(cleanCode(code)));
    if (enabled) {
      setSetup(null);
      setCode('');
      setRecoveryCodes(enabled.recovery_codes);
      await onChange();
    }
  }

  async function turnOff(event: FormEvent) {
    event.preventDefault();
    const ok = await action.run(async () => {
      await disableTwoFactor(password);
      return true;
    });
    if (ok) {
      setPassword('');
      notify('Two-factor sign-in is off.');
      await onChange();
    }
  }

  return (
    <section className="panel" aria-label="Two-factor sign-in">
      <h2>Two-factor sign-in</h2>
      {state.required && (
        <p role="alert" className="error">
          This instance requires two-factor sign-in for administrators: set it up to use the administration pages.
        </p>
      )}
      {recoveryCodes && (
        <ShownOnce region="Recovery codes" label="Recovery codes" value={recoveryCodes.join(' ')} what="codes">
          <p>
            Two-factor sign-in is on. Keep these recovery codes somewhere safe: each signs you in once without your phone. They are
            shown only now.
          </p>
          <ul aria-label="Your recovery codes" className="codes">
            {recoveryCodes.map((one) => (
              <li key={one}>
                <code>{one}</code>
              </li>
            ))}
          </ul>
        </ShownOnce>
      )}
      {state.enabled ? (
        <form className="form narrow" onSubmit={turnOff} aria-label="Turn off two-factor sign-in">
          <p>On: signing in asks for a code from your authenticator app after the password.</p>
          <label>
            Current password
            <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
            {errors.current_password && <span className="field-error">{errors.current_password}</span>}
          </label>
          <ErrorNotice error={action.error} />
          <button type="submit" className="danger" disabled={action.busy}>
            Turn off two-factor sign-in
          </button>
        </form>
      ) : setup ? (
        <form className="form narrow" onSubmit={confirm} aria-label="Confirm two-factor sign-in">
          <p>Scan this code with an authenticator app (Aegis, 2FAS, Google Authenticator, a password manager…).</p>
          <img src={qrImageSource(setup.qr_svg)} alt="QR code to scan with an authenticator app" width={200} height={200} />
          <p className="muted small">
            Or type this key into the app: <code aria-label="Set-up key">{manualEntryKey(setup.otpauth_uri)}</code>
          </p>
          <label>
            Code from the app
            <input inputMode="numeric" autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.target.value)} />
            {errors.code && <span className="field-error">{errors.code}</span>}
          </label>
          <ErrorNotice error={action.error} />
          <button type="submit" className="primary" disabled={action.busy}>
            Turn on
          </button>
        </form>
      ) : (
        <div>
          <p>Off: your password alone signs you in. With two-factor sign-in, a code from your phone is needed too.</p>
          <ErrorNotice error={action.error} />
          <button type="button" className="primary" onClick={start} disabled={action.busy}>
            Set up two-factor sign-in
          </button>
        </div>
      )}
    </section>
  );
}
