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
