import type { IntegrationSettings, PlexSection, Provider } from '../api/types';

export interface ProviderInfo {
  label: string;
  secretLabel: string;
  /** Extra plain text settings besides base_url. */
  extra: Array<{ key: string; label: string }>;
  help: string;
}

export const PROVIDER_INFO: Record<Provider, ProviderInfo> = {
  tmdb: { label: 'TMDB', secretLabel: 'API key or read token', extra: [], help: 'Title search and details.' },
  barcode: { label: 'Barcode lookup', secretLabel: 'API key', extra: [], help: 'Finds products by UPC/EAN.' },
  vision: {
    label: 'Cover recognition',
    secretLabel: 'API key',
    extra: [{ key: 'model', label: 'Model' }],
    help: 'Reads titles from cover photos.',
  },
  plex: { label: 'Plex', secretLabel: 'Plex token', extra: [], help: 'Imports titles from your Plex server.' },
  trakt: {
    label: 'Trakt',
    secretLabel: 'Client secret',
    extra: [{ key: 'client_id', label: 'Client id' }],
    help: 'Watchlist sync.',
  },
};

export interface ProviderDraft {
  base_url: string;
  token: string;
  extra: Record<string, string>;
  sections: PlexSection[] | null;
}

export function draftFromSettings(settings: IntegrationSettings): ProviderDraft {
  const info = PROVIDER_INFO[settings.provider];
  const extra: Record<string, string> = {};
  for (const { key } of info.extra) extra[key] = typeof settings[key] === 'string' ? (settings[key] as string) : '';
  return {
    base_url: settings.base_url ?? '',
    token: '',
    extra,
    sections: settings.provider === 'plex' ? (settings.library_sections ?? []) : null,
  };
}

/** The PUT body: only what changed (the API keeps omitted fields); a blank secret keeps the stored one. */
export function settingsChanges(settings: IntegrationSettings, draft: ProviderDraft): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (draft.base_url.trim() !== (settings.base_url ?? '')) body.base_url = draft.base_url.trim() || null;
  if (draft.token.trim()) body.token = draft.token.trim();
  for (const [key, value] of Object.entries(draft.extra)) {
    const before = typeof settings[key] === 'string' ? settings[key] : '';
    if (value.trim() !== before) body[key] = value.trim() || null;
  }
  if (draft.sections !== null) {
    const before = (settings.library_sections ?? []).map((s) => s.key).sort().join(',');
    const after = draft.sections.map((s) => s.key).sort().join(',');
    if (before !== after) body.library_sections = draft.sections;
  }
  return body;
}

/** `scheme://host:port` of a URL, as the server compares them; null when it is not a URL. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url.trim());
    const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
    return `${parsed.protocol}//${parsed.hostname.replace(/\.$/, '')}:${port}`;
  } catch {
    return null;
  }
}

/**
 * True when the draft moves the provider to another host while a secret is stored and no new one is
 * typed: the server refuses that (the stored secret belongs to the old host), so the form asks first.
 */
export function secretNeededForMove(settings: IntegrationSettings, draft: ProviderDraft): boolean {
  if (!settings.secret_set || draft.token.trim()) return false;
  const before = originOf(settings.base_url ?? '');
  const after = originOf(draft.base_url);
  return before !== null && after !== null && before !== after;
}

export const STATUS_TEXT: Record<string, string> = {
  ok: 'Working',
  untested: 'Not tested',
  failing: 'Failing',
  cannot_decrypt: 'Secret unreadable — enter it again',
};
