import type { Counts, MediaStats } from '../api/types';
import type { Permissions } from '../app/roles';
import { FORMATS, SOURCES, libraryHref } from '../library/filters';
import { mediaTypeLabel } from '../library/present';

export interface Bar {
  key: string;
  label: string;
  value: number;
  /** Share of the largest bar, 0–100, for drawing. */
  percent: number;
  /** The library filtered to exactly the titles counted; none when no filter lists them. */
  href?: string;
}

/** A map or a list of {key|label, count|value} as [key, count] pairs, dropping empty keys and non-numbers. */
export function countEntries(counts: Counts | null | undefined): Array<[string, number]> {
  if (!counts) return [];
  const pairs: Array<[string, number]> = Array.isArray(counts)
    ? counts.map((c) => [String(c.key ?? c.label ?? ''), Number(c.count ?? c.value ?? 0)])
    : Object.entries(counts).map(([k, v]) => [k, Number(v)]);
  return pairs.filter(([key, value]) => key !== '' && Number.isFinite(value) && value >= 0);
}

function toBars(
  entries: Array<[string, number]>,
  label: (key: string) => string,
  href: (key: string) => string | undefined,
): Bar[] {
  const max = Math.max(0, ...entries.map(([, value]) => value));
  return entries.map(([key, value]) => ({
    key,
    label: label(key),
    value,
    percent: max ? Math.round((value / max) * 1000) / 10 : 0,
    href: href(key),
  }));
}

const byValue = (a: [string, number], b: [string, number]) => b[1] - a[1] || a[0].localeCompare(b[0]);

export function formatBars(counts: Counts): Bar[] {
  const order = FORMATS as readonly string[];
  const entries = countEntries(counts).sort((a, b) => {
    const ia = order.indexOf(a[0]);
    const ib = order.indexOf(b[0]);
    return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib) || a[0].localeCompare(b[0]);
  });
  return toBars(entries, (k) => k, (k) => (order.includes(k) ? libraryHref({ format: k }) : undefined));
}

/** "1990", "1990s" or 1990 → the 1990s, linking to years 1990–1999. */
export function decadeStart(key: string): number | null {
  const match = /^(\d{4})s?$/.exec(key.trim());
  return match ? Number(match[1]) - (Number(match[1]) % 10) : null;
}

export function decadeBars(counts: Counts): Bar[] {
  const entries = countEntries(counts)
    .filter(([key]) => decadeStart(key) !== null)
    .sort((a, b) => (decadeStart(a[0]) ?? 0) - (decadeStart(b[0]) ?? 0));
  return toBars(
    entries,
    (k) => `${decadeStart(k)}s`,
    (k) => {
      const start = decadeStart(k) ?? 0;
      return libraryHref({ year_min: start, year_max: start + 9, sort: 'year', order: 'asc' });
    },
  );
}

/** The server counts a genre as the library's genre filter lists it: by prefix of the name. */
export function genreBars(counts: Counts, limit = 20): Bar[] {
  return toBars(countEntries(counts).sort(byValue).slice(0, limit), (k) => k, (k) => libraryHref({ genre: k }));
}

const SOURCE_LABELS = Object.fromEntries(SOURCES) as Record<string, string>;

export function sourceBars(counts: Counts): Bar[] {
  const known = SOURCES.map(([value]) => value) as readonly string[];
  return toBars(
    countEntries(counts).sort(byValue),
    (k) => SOURCE_LABELS[k] ?? k,
    (k) => (known.includes(k) ? libraryHref({ source: k }) : undefined),
  );
}

export function mediaTypeBars(counts: Counts): Bar[] {
  return toBars(countEntries(counts).sort(byValue), mediaTypeLabel, (k) =>
    ['movie', 'tv_series', 'other'].includes(k) ? libraryHref({ media_type: k }) : undefined,
  );
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2024-05" (or a full date) → "May 2024"; oldest first. No links: the library has no filter by date added. */
export function monthBars(counts: Counts): Bar[] {
  const entries = countEntries(counts)
    .map(([key, value]) => [key.slice(0, 7), value] as [string, number])
    .filter(([key]) => /^\d{4}-\d{2}$/.test(key))
    .sort((a, b) => a[0].localeCompare(b[0]));
  return toBars(
    entries,
    (k) => `${MONTHS[Number(k.slice(5, 7)) - 1] ?? k.slice(5, 7)} ${k.slice(0, 4)}`,
    () => undefined,
  );
}

export interface AttentionItem {
  key: string;
  label: string;
  value: number;
  /** A page listing exactly what is counted; none when the page lists more than that. */
  href?: string;
}

/** What needs attention, only what the role may open: viewers see neither duplicates nor imports. */
export function attentionItems(
  stats: Pick<MediaStats, 'attention'>,
  failedImports: number | null,
  permissions: Pick<Permissions, 'canSeeDuplicates'>,
): AttentionItem[] {
  const a = stats.attention ?? { no_poster: 0, no_copies: 0, duplicate_groups: 0 };
  const items: AttentionItem[] = [
    { key: 'no_poster', label: 'Titles without a poster', value: a.no_poster ?? 0, href: libraryHref({ missing: 'poster' }) },
    { key: 'no_copies', label: 'Titles without a copy', value: a.no_copies ?? 0, href: libraryHref({ missing: 'copies' }) },
  ];
  if (permissions.canSeeDuplicates) {
    items.push({ key: 'duplicate_groups', label: 'Groups of possible duplicates', value: a.duplicate_groups ?? 0, href: '/duplicates' });
  }
  // The import page lists every job, not the failed ones only: the figure is shown without a link.
  if (failedImports !== null) items.push({ key: 'failed_imports', label: 'Failed imports (see Import)', value: failedImports });
  return items;
}
