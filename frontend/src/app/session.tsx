import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { getAuthConfig, getMe } from '../api/auth';
import { ApiError } from '../api/client';
import type { AuthConfig, Me } from '../api/types';
import { permissionsFor, type Permissions } from './roles';

export type SessionState =
  | { kind: 'loading' }
  | { kind: 'signed-out'; config: AuthConfig | null }
  | { kind: 'signed-in'; me: Me }
  | { kind: 'failed'; error: unknown };

interface SessionValue {
  state: SessionState;
  me: Me | null;
  permissions: Permissions;
  /** Asks the server again who the user is (after sign-in, a space switch, a profile change). */
  refresh: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

async function loadSession(): Promise<SessionState> {
  try {
    return { kind: 'signed-in', me: await getMe() };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      const config = await getAuthConfig().catch(() => null);
      return { kind: 'signed-out', config };
    }
    return { kind: 'failed', error };
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ kind: 'loading' });
  const refresh = useCallback(async () => setState(await loadSession()), []);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const value = useMemo<SessionValue>(() => {
    const me = state.kind === 'signed-in' ? state.me : null;
    return { state, me, permissions: permissionsFor(me), refresh };
  }, [state, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** For pages that only render when signed in. */
export function useMe(): { me: Me; permissions: Permissions; refresh: () => Promise<void> } {
  const { me, permissions, refresh } = useSession();
  if (!me) throw new Error('useMe on a signed-out page');
  return { me, permissions, refresh };
}

/** The active space's id; pages that need a space render only when there is one. */
export function useSpaceId(): string {
  const { me } = useMe();
  return me.active_space?.id ?? '';
}
