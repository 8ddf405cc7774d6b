import type { ActivityFilters } from '../api/spaces';

/** The activity filters kept in the page's URL, so a filtered log can be shared, reloaded and gone Back to. */

const KEYS = ['user_id', 'action', 'q', 'space_id', 'entity_type', 'entity_id'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Filters as the URL holds them: `from` and `to` are calendar days (yyyy-mm-dd) in the user's time zone. */
export type ActivityUrlFilters = Partial<Record<(typeof KEYS)[number] | 'from' | 'to', string>>;

export function parseActivitySearch(search: string): ActivityUrlFilters {
  const params = new URLSearchParams(search);
  const found: ActivityUrlFilters = {};
  for (const key of KEYS) {
    const value = params.get(key)?.trim();
    if (value) found[key] = value;
  }
  for (const key of ['from', 'to'] as const) {
    const value = params.get(key);
    if (value && DATE.test(value)) found[key] = value;
  }
  return found;
}

export function activitySearch(filters: ActivityUrlFilters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

function dayBoundary(day: string | undefined, endOfDay: boolean): string | undefined {
  if (!day) return undefined;
  return new Date(`${day}T${endOfDay ? '23:59:59.999' : '00:00:00'}`).toISOString();
}

/** The API's filters for the URL's: days become the instants where they start and end. */
export function toApiFilters(filters: ActivityUrlFilters): ActivityFilters {
  const { from, to, ...rest } = filters;
  return { ...rest, from: dayBoundary(from, false), to: dayBoundary(to, true) };
}

/** How many filters are applied: a phone opens the folded filters when any is. */
export function activeFilterCount(filters: ActivityUrlFilters): number {
  return Object.values(filters).filter(Boolean).length;
}
