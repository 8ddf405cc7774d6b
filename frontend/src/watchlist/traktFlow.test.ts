import { describe, expect, it, vi } from 'vitest';
import type { TraktPoll } from '../api/types';
import { followLink, pause } from './traktFlow';

/** A poll that answers `answers` in turn, and a wait that records its delays without waiting. */
function scripted(...answers: TraktPoll[]) {
  const poll = vi.fn(() => Promise.resolve(answers.shift() ?? { status: 'expired' as const }));
  const waits: number[] = [];
  const wait = (ms: number) => {
    waits.push(ms);
    return Promise.resolve();
  };
  return { poll, waits, wait };
}

describe('following a Trakt device link', () => {
  it('polls at the interval Trakt asks for, slower after a "slow down", until linked', async () => {
    const { poll, waits, wait } = scripted({ status: 'pending', interval: 5 }, { status: 'pending', interval: 10 }, { status: 'linked' });

    const outcome = await followLink(poll, 5, new AbortController().signal, wait);

    expect(outcome).toBe('linked');
    expect(poll).toHaveBeenCalledTimes(3);
    expect(waits).toEqual([5000, 5000, 10000]);
  });

  it('ends with what the server says when the code expired or the user refused', async () => {
    const signal = new AbortController().signal;
    expect(await followLink(scripted({ status: 'denied' }).poll, 1, signal, scripted().wait)).toBe('denied');
    expect(await followLink(scripted({ status: 'pending', interval: 1 }, { status: 'expired' }).poll, 1, signal, scripted().wait)).toBe(
      'expired',
    );
  });

  it('stops without polling again once cancelled', async () => {
    const controller = new AbortController();
    const { poll, wait } = scripted({ status: 'pending', interval: 5 }, { status: 'linked' });
    const cancelling = (ms: number) => {
      if (poll.mock.calls.length === 1) controller.abort();
      return wait(ms);
    };

    expect(await followLink(poll, 5, controller.signal, cancelling)).toBe('cancelled');
    expect(poll).toHaveBeenCalledTimes(1);
  });

  it('a pause ends early when its signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waiting = pause(60_000, controller.signal);
    controller.abort();
    await waiting;
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
