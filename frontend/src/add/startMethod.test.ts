import { describe, expect, it } from 'vitest';
import type { IntegrationSettings } from '../api/types';
import { providerWorks, startMethod } from './startMethod';

const ALL = ['tmdb', 'barcode', 'manual'] as const;
const settings = (tmdb: Partial<IntegrationSettings>): IntegrationSettings[] => [
  { provider: 'tmdb', secret_set: false, status: 'untested', ...tmdb },
  { provider: 'plex', secret_set: false, status: 'untested' },
];

describe('the tab Add opens on', () => {
  it('is by hand in a space where TMDB has no key', () => {
    expect(startMethod(null, settings({}), ALL)).toBe('manual');
  });

  it('is by hand when the TMDB key failed its test or cannot be decrypted', () => {
    expect(startMethod(null, settings({ secret_set: true, status: 'failing' }), ALL)).toBe('manual');
    expect(startMethod(null, settings({ secret_set: true, status: 'cannot_decrypt' }), ALL)).toBe('manual');
  });

  it('is TMDB search once a key is saved', () => {
    expect(startMethod(null, settings({ secret_set: true, status: 'ok' }), ALL)).toBe('tmdb');
    expect(startMethod(null, settings({ secret_set: true, status: 'untested' }), ALL)).toBe('tmdb');
  });

  it('is TMDB search for a member who cannot read the settings (the search says what is missing)', () => {
    expect(startMethod(null, null, ALL)).toBe('tmdb');
    expect(providerWorks(null, 'tmdb')).toBeNull();
  });

  it('follows the address when it names an available tab', () => {
    expect(startMethod('barcode', settings({}), ALL)).toBe('barcode');
    expect(startMethod('cover', settings({}), ALL)).toBe('manual');
  });
});
