import { describe, expect, it } from 'vitest';
import type { ActivityRow } from '../api/types';
import { activitySentence, kindLabel } from './activitySentences';

const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';

/** A row as GET /api/spaces/{id}/activity returns it; `details` as the producing service writes it. */
function row(action: string, details: Record<string, unknown>, extra: Partial<ActivityRow> = {}): ActivityRow {
  return {
    id: 'c0ffee00-0000-4000-8000-000000000000',
    action,
    user_id: ALICE,
    space_id: '33333333-3333-4333-8333-333333333333',
    entity_type: action.split('.')[1] ?? null,
    entity_id: null,
    details,
    request_id: 'fc76abb50b534ba1a389e088559862a8',
    created_at: '2026-12-07T19:54:56.389558Z',
    actor_name: 'Alice',
    space_name: 'Den',
    subject_name: null,
    ...extra,
  };
}

const media = { title: 'Alien', year: 1979, fields: [], source: 'api', provider: null, media_type: 'movie' };

describe('activitySentence', () => {
  it.each([
    [row('library.media.created', media), 'Alice added “Alien” (1979)'],
    [row('library.media.created', { ...media, source: 'import', provider: 'plex' }), 'Alice imported “Alien” (1979) from Plex'],
    [row('library.media.updated', { ...media, fields: ['year'] }), 'Alice edited “Alien” (1979)'],
    [
      row('library.media.updated', { ...media, fields: ['copies'], copy_changed: { change: 'added', format: 'Blu-ray', condition: 'mint', purchase: null } }),
      'Alice added a Blu-ray copy to “Alien” (1979)',
    ],
    [
      row('library.media.updated', { ...media, fields: ['copies'], copy_changed: { change: 'edited', format: 'DVD', purchase: { price: 5, currency: 'EUR' } } }),
      'Alice edited a DVD copy of “Alien” (1979)',
    ],
    [row('library.media.updated', { ...media, fields: ['copies'], copy_changed: { change: 'removed', format: 'VHS' } }), 'Alice removed a VHS copy of “Alien” (1979)'],
    [row('library.media.deleted', media), 'Alice moved “Alien” (1979) to the trash'],
    [row('library.media.restored', { ...media, year: null }), 'Alice restored “Alien”'],
    [row('library.media.cover_set', { ...media, fields: ['cover'] }), 'Alice set an own cover for “Alien” (1979)'],
    [row('library.media.cover_removed', { ...media, fields: ['cover'] }), 'Alice removed the own cover of “Alien” (1979)'],
    [
      row('library.media.merged', { merge_id: BOB, survivor_id: BOB, duplicate_ids: [BOB, ALICE], title: 'Alien' }),
      'Alice merged 2 duplicates into “Alien”',
    ],
    [row('library.tag.renamed', { name: 'Film noir', previous_name: 'noir', titles: 3 }), 'Alice renamed the tag “noir” to “Film noir”'],
    [row('library.tag.merged', { name: 'Film noir', previous_name: 'Noirs', titles: 5 }), 'Alice merged the tag “Noirs” into “Film noir”'],
    [row('library.view.created', { name: 'Weekend', shared: true }), 'Alice saved the shared view “Weekend”'],
    [row('library.view.deleted', { name: 'Mine', shared: false }), 'Alice deleted the view “Mine”'],
    [row('library.media.merge_reverted', { merge_id: BOB, survivor_id: BOB, duplicate_ids: [BOB], title: 'Alien' }), 'Alice undid the merge into “Alien”'],
    [
      row('integrations.settings.updated', { provider: 'plex', changed_fields: ['base_url'], secret_changed: false, secret_cleared: false }),
      'Alice changed the Plex settings',
    ],
    [row('integrations.settings.tested', { provider: 'tmdb', ok: false, outcome: 'failing' }), 'Alice tested the TMDB settings: they failed'],
    [row('integrations.secret.undecryptable', { provider: 'trakt', key_id: 'k1' }), 'The saved Trakt secret can no longer be read; enter it again'],
    [
      row('identity.invite.created', { role: 'member', email: 'dave@example.com', expires_at: '2026-12-14T19:54:55+00:00' }, { entity_type: 'invite' }),
      'Alice invited dave@example.com as member',
    ],
    [row('identity.invite.claimed', { role: 'member', user_id: ALICE }, { subject_name: 'Alice' }), 'Alice accepted an invitation as member'],
    [row('identity.invite.revoked', { role: 'viewer', email: 'eve@example.com' }), 'Alice revoked the invitation of eve@example.com'],
    [row('identity.membership.added', { role: 'owner', user_id: ALICE, space_id: BOB }, { subject_name: 'Alice' }), 'Alice joined as owner'],
    [
      row('identity.membership.role_changed', { space_id: BOB, user_id: BOB, role: 'admin', previous_role: 'member' }, { subject_name: 'Bob' }),
      'Alice changed the role of Bob from member to admin',
    ],
    [row('identity.membership.removed', { space_id: BOB, user_id: BOB, previous_role: 'viewer' }, { subject_name: 'Bob' }), 'Alice removed Bob from the space'],
    [row('identity.membership.removed', { space_id: BOB, user_id: ALICE, previous_role: 'viewer' }, { subject_name: 'Alice' }), 'Alice left the space'],
    [row('identity.space.created', { name: 'Den' }), 'Alice created the space “Den”'],
    [row('identity.space.updated', { name: 'Attic', previous_name: 'Den' }), 'Alice renamed the space “Den” to “Attic”'],
    [row('identity.space.deleted', { space_id: BOB, name: 'Den' }), 'Alice deleted the space “Den”'],
    [
      row('identity.user.registered', { email: 'bob@example.com', name: 'Bob', role: 'user', via: 'open' }, { actor_name: 'Bob', subject_name: 'Bob' }),
      'Bob created an account',
    ],
    [row('identity.user.logged_in', { session_id: BOB }), 'Alice signed in'],
    [row('identity.user.login_failed', { email: 'bob@example.com', reason: 'bad_credentials' }, { user_id: null, actor_name: null }), 'A sign-in as bob@example.com was refused'],
    [row('identity.user.logged_out', { session_id: BOB }), 'Alice signed out'],
    [row('identity.user.updated', { fields: ['name'], name: 'Alice' }, { entity_id: ALICE, subject_name: 'Alice' }), 'Alice changed their profile (name)'],
    [row('identity.user.updated', { fields: ['disabled'], disabled: true }, { entity_id: BOB, subject_name: 'Bob' }), 'Alice disabled the account of Bob'],
    [row('identity.user.role_changed', { role: 'admin', previous_role: 'user' }, { entity_id: BOB, subject_name: 'Bob' }), 'Alice made Bob an instance admin'],
    [row('identity.user.deleted', { user_id: BOB, email: 'bob@example.com' }, { subject_name: 'Bob' }), 'Alice deleted the account of Bob'],
    [row('identity.user.deleted', { user_id: BOB, email: 'bob@example.com' }), 'Alice deleted the account of bob@example.com'],
    [row('identity.feature_flag.changed', { key: 'trakt', enabled: false }), 'Alice turned off the feature “trakt”'],
    [
      row('sync.job.queued', { job_id: BOB, provider: 'plex', kind: 'import', status: 'queued', progress: { total: 0, processed: 0 }, summary: {}, error: null }),
      'Alice started a Plex import',
    ],
    [row('sync.job.started', { provider: 'plex', kind: 'import', status: 'running' }), 'A Plex import started'],
    [
      row('sync.job.succeeded', { provider: 'plex', kind: 'import', summary: { created: 3, updated: 0, skipped: 1, failed: 0 } }),
      'A Plex import finished: 3 created, 1 skipped',
    ],
    [row('sync.job.failed', { provider: 'trakt', kind: 'watchlist', error: 'Trakt answered 401' }), 'A Trakt watchlist failed: Trakt answered 401'],
    [row('sync.job.cancelled', { provider: 'plex', kind: 'import' }), 'A Plex import was cancelled'],
    [
      row('gateway.request.completed', { method: 'POST', path: '/api/media', status: 201, duration_ms: 12.5, error_code: null, pat_id: null }),
      'Alice: POST /api/media answered 201',
    ],
    [
      row('gateway.request.failed', { method: 'GET', path: null, status: 404, duration_ms: 1, error_code: 'not_found' }),
      'Alice: GET (no route) failed with 404 (not_found)',
    ],
  ])('%#: %j', (entry, sentence) => {
    expect(activitySentence(entry)).toBe(sentence);
  });

  it('says "Someone" for an older row written before names were kept', () => {
    expect(activitySentence(row('library.media.created', media, { actor_name: null }))).toBe('Someone added “Alien” (1979)');
  });

  it('says "The system" when no one acted', () => {
    expect(activitySentence(row('library.media.purged', media, { user_id: null, actor_name: null }))).toBe(
      '“Alien” (1979) was emptied from the trash',
    );
    expect(activitySentence(row('newcontext.gadget.polished', { shine: 11 }, { user_id: null, actor_name: null }))).toBe(
      'The system: gadget polished',
    );
  });

  it('falls back to a readable sentence for a kind it does not know', () => {
    expect(activitySentence(row('newcontext.gadget_box.polished', { shine: 11 }))).toBe('Alice: gadget box polished');
  });
});

describe('kindLabel', () => {
  it('names known kinds and makes unknown ones readable', () => {
    expect(kindLabel('integrations.settings.tested')).toBe('Integration tested');
    expect(kindLabel('library.media.created')).toBe('Title added');
    expect(kindLabel('newcontext.gadget.polished')).toBe('Gadget polished');
  });
});
