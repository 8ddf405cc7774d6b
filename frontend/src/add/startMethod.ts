import type { IntegrationSettings } from '../api/types';

export type AddMethod = 'tmdb' | 'barcode' | 'cover' | 'manual';

const WORKING = new Set(['ok', 'untested', undefined, null]);

/** Whether a provider has its key and has not failed its last test. */
export function providerWorks(settings: IntegrationSettings[] | null, provider: string): boolean | null {
  if (!settings) return null;
  const entry = settings.find((item) => item.provider === provider);
  if (!entry) return false;
  return entry.secret_set && WORKING.has(entry.status as string | undefined);
}

/**
 * The tab Add opens on: the one asked for in the address, else TMDB search when TMDB works (or when
 * the user cannot read the space's settings), else by hand, which always works.
 */
export function startMethod(requested: string | null, settings: IntegrationSettings[] | null, available: readonly AddMethod[]): AddMethod {
  if (requested && (available as readonly string[]).includes(requested)) return requested as AddMethod;
  const tmdb = providerWorks(settings, 'tmdb');
  return tmdb === false ? 'manual' : 'tmdb';
}
