import type { Media, MediaType } from '../api/types';

const TYPE_LABELS: Record<MediaType, string> = { movie: 'Movie', tv_series: 'TV series', other: 'Other' };

export function mediaTypeLabel(type: MediaType | string): string {
  return TYPE_LABELS[type as MediaType] ?? type;
}

/** The distinct formats of a title's copies, in the order owned. */
export function formatsOf(media: Pick<Media, 'copies'>): string[] {
  return [...new Set((media.copies ?? []).map((copy) => copy.format))];
}

export function runtimeLabel(minutes: number | null | undefined): string {
  if (!minutes) return '—';
  const hours = Math.floor(minutes / 60);
  return hours ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
}

export type LoanState = 'overdue' | 'on_loan';

/** Whether any copy is out: overdue wins over merely on loan. */
export function loanStateOf(media: Pick<Media, 'copies'>): LoanState | null {
  const loans = (media.copies ?? []).map((copy) => copy.loan).filter((loan) => !!loan);
  if (loans.some((loan) => loan!.overdue)) return 'overdue';
  return loans.length ? 'on_loan' : null;
}

export const LOAN_LABELS: Record<LoanState, string> = { on_loan: 'On loan', overdue: 'Overdue' };

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** A show's seasons and episodes as stored ("5 seasons, 62 episodes"); null when neither is known. */
export function seasonsLabel(seasons: number | null | undefined, episodes: number | null | undefined): string | null {
  const parts = [seasons != null && plural(seasons, 'season'), episodes != null && plural(episodes, 'episode')];
  const known = parts.filter((part): part is string => Boolean(part));
  return known.length ? known.join(', ') : null;
}

/** "Owned 3 of 5 seasons" for a show with recorded seasons; null otherwise. */
export function ownedSeasonsLabel(owned: number | null | undefined, total: number | null | undefined): string | null {
  if (!total) return null;
  return `Owned ${owned ?? 0} of ${plural(total, 'season')}`;
}

/** The seasons a copy holds, in runs: "Seasons 1–3, 5", "Season 2", "Specials, Season 1". */
export function seasonNumbersLabel(numbers: number[] | null | undefined): string | null {
  const sorted = [...new Set(numbers ?? [])].sort((a, b) => a - b);
  const specials = sorted[0] === 0 ? ['Specials'] : [];
  const regular = sorted.filter((n) => n > 0);
  const runs: string[] = [];
  for (let i = 0; i < regular.length; ) {
    let j = i;
    while (j + 1 < regular.length && regular[j + 1] === regular[j]! + 1) j++;
    runs.push(i === j ? `${regular[i]}` : `${regular[i]}–${regular[j]}`);
    i = j + 1;
  }
  const seasons = runs.length ? [`${regular.length === 1 ? 'Season' : 'Seasons'} ${runs.join(', ')}`] : [];
  const parts = [...specials, ...seasons];
  return parts.length ? parts.join(', ') : null;
}

export type Provenance = 'manual' | 'plex' | 'barcode';

/** Where a title's copies came from: Plex imports, barcode scans, or typed in by hand. */
export function provenanceOf(media: Pick<Media, 'copies'>): Provenance[] {
  const found = new Set<Provenance>();
  for (const copy of media.copies ?? []) {
    const source = (copy.source_provider ?? '').toLowerCase();
    if (source === 'plex') found.add('plex');
    else if (source === 'barcode' || source === 'upc' || (!source && copy.barcode)) found.add('barcode');
    else found.add('manual');
  }
  if (found.size === 0) found.add('manual');
  return [...found];
}

export const PROVENANCE_LABELS: Record<Provenance, string> = {
  manual: 'Added by hand',
  plex: 'Imported from Plex',
  barcode: 'Added from a barcode',
};
