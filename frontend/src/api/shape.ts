/** Small helpers shared by the typed API functions. */

export type QueryValue = string | number | boolean | null | undefined | readonly string[];

/** Appends the defined, non-empty values as a query string; arrays repeat the key. */
export function withQuery(path: string, params: Record<string, QueryValue> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      for (const item of value) search.append(key, item);
    } else {
      search.append(key, String(value));
    }
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

/** Accepts a bare array or a `{items}` page and gives the array. */
export function asList<T>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[];
  if (body && typeof body === 'object' && Array.isArray((body as { items?: unknown }).items)) {
    return (body as { items: T[] }).items;
  }
  return [];
}

export function seg(value: string | number): string {
  return encodeURIComponent(String(value));
}
