import { getAuthConfig } from '../api/auth';
import type { AuthConfig } from '../api/types';
import { useResource } from '../app/hooks';
import { useSession } from '../app/session';
import { passwordMinimum, passwordRules } from './accounts';

/** The server's password policy (from `/api/auth/config`): signed out it comes with the session
 *  state, signed in it is asked for. Until it arrives the defaults apply; the server always decides. */
export function usePasswordPolicy(): { minimum: number; rules: string } {
  const { state } = useSession();
  const known = state.kind === 'signed-out' ? state.config : null;
  const loaded = useResource<AuthConfig | null>(
    () => (known ? Promise.resolve(known) : getAuthConfig().catch(() => null)),
    [known],
  );
  const config = known ?? loaded.state.data ?? null;
  return { minimum: passwordMinimum(config), rules: passwordRules(config) };
}

/** The password rules under a new-password field (its description, through `aria-describedby`). */
export function PasswordRules({ id, rules }: { id?: string; rules: string }) {
  return (
    <span id={id} className="muted small">
      {rules}
    </span>
  );
}
