import { describe, expect, it } from 'vitest';
import { normalizeIntegrations } from '../api/integrations';
import type { IntegrationSettings } from '../api/types';
import { draftFromSettings, originOf, secretNeededForMove, settingsChanges } from './providers';
import { inviteLink } from './InvitesPage';

const plex: IntegrationSettings = {
  provider: 'plex',
  base_url: 'http://plex:32400',
  secret_set: true,
  secret_hint: '…1234',
  library_sections: [{ key: '1', title: 'Movies', type: 'movie' }],
};

describe('integration settings form', () => {
  it('sends nothing when nothing changed, and never an empty secret', () => {
    expect(settingsChanges(plex, draftFromSettings(plex))).toEqual({});
  });

  it('sends only the changed fields', () => {
    const draft = draftFromSettings(plex);
    draft.token = ' new-token ';
    draft.sections = [...(draft.sections ?? []), { key: '2', title: 'TV', type: 'show' }];
    expect(settingsChanges(plex, draft)).toEqual({
      token: 'new-token',
      library_sections: [
        { key: '1', title: 'Movies', type: 'movie' },
        { key: '2', title: 'TV', type: 'show' },
      ],
    });
  });

  it('asks for the secret again when the address moves to another host', () => {
    const draft = draftFromSettings(plex);
    draft.base_url = 'http://attacker.example:32400';
    expect(secretNeededForMove(plex, draft)).toBe(true);
    draft.token = 'token-for-the-new-host';
    expect(secretNeededForMove(plex, draft)).toBe(false);
  });

  it('keeps the stored secret for a new path on the same host, or when none is stored', () => {
    const samePath = { ...draftFromSettings(plex), base_url: 'HTTP://plex:32400/sub/' };
    expect(secretNeededForMove(plex, samePath)).toBe(false);
    const moved = { ...draftFromSettings(plex), base_url: 'http://elsewhere:32400' };
    expect(secretNeededForMove({ ...plex, secret_set: false }, moved)).toBe(false);
  });

  it('compares origins with the default port written out', () => {
    expect(originOf('https://api.themoviedb.org/3')).toBe(originOf('https://API.themoviedb.org:443'));
    expect(originOf('http://plex:32400')).not.toBe(originOf('http://plex:32401'));
    expect(originOf('not a url')).toBeNull();
  });

  it('lists every provider whatever shape the server answers with', () => {
    const fromMap = normalizeIntegrations({ tmdb: { secret_set: true, status: 'ok' } });
    expect(fromMap.map((s) => s.provider)).toEqual(['tmdb', 'barcode', 'vision', 'plex', 'trakt']);
    expect(fromMap[0]).toMatchObject({ provider: 'tmdb', secret_set: true });
    expect(normalizeIntegrations([plex])[3]).toBe(plex);
  });

  it('makes a full invite link from a relative one', () => {
    expect(inviteLink({ invite_url: '/invite/abc', token: 'abc' }, 'https://home.example')).toBe('https://home.example/invite/abc');
    expect(inviteLink({ invite_url: 'https://x.example/invite/t', token: 't' }, 'https://home.example')).toBe('https://x.example/invite/t');
  });
});
