import type { TraktPoll } from '../api/types';

export type LinkOutcome = 'linked' | 'expired' | 'denied' | 'cancelled';

/** Waits `ms`, or less when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(finish, ms);
    signal.addEventListener('abort', finish, { once: true });
    function finish() {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    }
  });
}

/**
 * Polls a started device link at the interval Trakt asks for (it grows on "slow down") until the
 * user approved, refused, or the code expired; the server decides each of those.
 */
export async function followLink(
  poll: () => Promise<TraktPoll>,
  firstInterval: number,
  signal: AbortSignal,
  wait: (ms: number, signal: AbortSignal) => Promise<void> = pause,
): Promise<LinkOutcome> {
  let interval = firstInterval;
  for (;;) {
    await wait(interval * 1000, signal);
    if (signal.aborted) return 'cancelled';
    const answer = await poll();
    if (signal.aborted) return 'cancelled';
    if (answer.status !== 'pending') return answer.status;
    interval = answer.interval;
  }
}
