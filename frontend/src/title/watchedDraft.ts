/** The Watched panel's date: a day picked in the browser's time zone, today by default. */

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** yyyy-mm-dd of `now` in the browser's time zone (a date input's value). */
export function dayInput(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * The `watched_at` to send for a picked day: none for today (the server takes "now"), the evening of
 * an earlier day with its offset, or the reason the day cannot be sent.
 */
export function watchedAtFor(day: string, now: Date = new Date()): { watched_at?: string } | { problem: string } {
  if (!day || day === dayInput(now)) return {};
  const evening = new Date(`${day}T20:00:00`);
  if (Number.isNaN(evening.getTime())) return { problem: 'The date is not a date.' };
  if (day > dayInput(now)) return { problem: 'The date cannot be in the future.' };
  return { watched_at: evening.toISOString() };
}

/** "Watched on 9 Mar 2024". */
export function describeWatched(watchedAt: string): string {
  const day = new Date(watchedAt).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
  return `Watched on ${day}`;
}
