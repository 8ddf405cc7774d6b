import type { JobStatus, SyncJob } from '../api/types';

export const STATUS_LABELS: Record<JobStatus, string> = {
  queued: 'Waiting to start',
  running: 'Running',
  succeeded: 'Finished',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function isFinished(status: JobStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

/** 0–100, or null while the total is not known yet. */
export function progressPercent(job: Pick<SyncJob, 'progress'>): number | null {
  const total = job.progress?.total;
  if (!total) return null;
  return Math.min(100, Math.round(((job.progress?.processed ?? 0) / total) * 100));
}

/** Poll quickly at first, then ease off for long imports. */
export function pollDelay(attempt: number): number {
  return Math.min(5000, 1000 + attempt * 250);
}

export function summaryLine(job: Pick<SyncJob, 'summary'>): string {
  const s = job.summary;
  if (!s) return '';
  return `${s.created} created, ${s.updated} updated, ${s.skipped} skipped, ${s.failed} failed`;
}

const humanize = (key: string) => key.charAt(0).toUpperCase() + key.slice(1).replace(/_/g, ' ');

const BUCKETS = new Set(['created', 'updated', 'skipped', 'failed', 'errors', 'errors_total']);

/** Counts a summary has beyond the four buckets (a collectZ move counts users and spaces too), labelled. */
export function extraCounts(summary: NonNullable<SyncJob['summary']>): Array<[label: string, count: number]> {
  return Object.entries(summary as Record<string, unknown>)
    .filter((entry): entry is [string, number] => !BUCKETS.has(entry[0]) && typeof entry[1] === 'number')
    .map(([key, count]) => [humanize(key), count]);
}

/** Rows the errors CSV lists: every skipped or failed one. */
export function notImported(summary: Pick<NonNullable<SyncJob['summary']>, 'skipped' | 'failed'>): number {
  return summary.skipped + summary.failed;
}

/** How many reasons the job kept, though the job answer may carry only the first ones. */
export function reasonsKept(summary: Pick<NonNullable<SyncJob['summary']>, 'errors' | 'errors_total'>): number {
  return Math.max(summary.errors_total ?? 0, summary.errors.length);
}

/** A file import's TMDB look-ups (its `enrich` option): rows that got an id, and rows that did not. */
const REPORT_LABELS: Record<string, string> = { enriched: 'TMDB ids found', not_enriched: 'Left without a TMDB id' };

const REPORT_ORDER = ['generation', 'schema_version', 'users', 'spaces', 'memberships', 'titles', 'copies', 'ratings', 'integrations'];

/**
 * An import's report in words: scalar entries as facts ("Generation: 2.x"), and each kind of thing
 * with its counts ("Users" → "2 created, 1 unchanged"), zero counts left out.
 */
export function reportLines(report: Record<string, unknown>): { facts: string[]; kinds: Array<[kind: string, counts: string]> } {
  const facts: string[] = [];
  const kinds: Array<[string, string]> = [];
  // The server's JSON may come in any key order: people first, then where they go, then what comes.
  const rank = (key: string) => (REPORT_ORDER.indexOf(key) + REPORT_ORDER.length + 1) % (REPORT_ORDER.length + 1);
  const entries = Object.entries(report).sort(([a], [b]) => rank(a) - rank(b));
  for (const [key, value] of entries) {
    if (typeof value === 'string' || typeof value === 'number') facts.push(`${REPORT_LABELS[key] ?? humanize(key)}: ${value}`);
    else if (value && typeof value === 'object' && !Array.isArray(value)) {
      const counts = Object.entries(value as Record<string, unknown>)
        .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] > 0)
        .map(([bucket, count]) => `${count} ${bucket.replace(/_/g, ' ')}`);
      kinds.push([humanize(key), counts.length ? counts.join(', ') : 'none']);
    }
  }
  return { facts, kinds };
}
