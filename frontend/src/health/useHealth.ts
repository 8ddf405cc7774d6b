import { useCallback, useEffect, useState } from 'react';
import { ApiError, getHealth } from '../api/client';
import type { Health } from '../api/types';

export type HealthState =
  | { kind: 'loading' }
  | { kind: 'ready'; health: Health }
  | { kind: 'failed'; error: ApiError };

/** Loads /api/health once on mount; `reload` asks again. */
export function useHealth(): { state: HealthState; reload: () => void } {
  const [state, setState] = useState<HealthState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ kind: 'loading' });
    getHealth(undefined, controller.signal).then(
      (health) => setState({ kind: 'ready', health }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const apiError =
          error instanceof ApiError ? error : new ApiError(0, 'unexpected_error', 'Something went wrong.');
        setState({ kind: 'failed', error: apiError });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, reload };
}
