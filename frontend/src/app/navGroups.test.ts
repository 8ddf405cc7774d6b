import { describe, expect, it } from 'vitest';
import type { Me, SpaceRole } from '../api/types';
import { navGroups } from './navGroups';
import { permissionsFor } from './roles';

function me(role: SpaceRole | null, instanceAdmin = false, features: Record<string, boolean> = {}): Me {
  const space = role ? { id: 's1', name: 'Family films', role } : null;
  return {
    user: { id: 'u1', email: 'a@example.com', name: 'A', role: instanceAdmin ? 'admin' : 'user' },
    active_space: space,
    spaces: space ? [space] : [],
    features,
  } as unknown as Me;
}

const labels = (role: SpaceRole | null, admin = false) =>
  Object.fromEntries(navGroups(permissionsFor(me(role, admin)), role !== null).map((g) => [g.title, g.links.map((l) => l.label)]));

describe('the grouped navigation', () => {
  it('gives an owner the library and every space page, but no instance group', () => {
    expect(labels('owner')).toEqual({
      Library: ['Library', 'Add', 'Wishlist', 'Tags', 'Insights', 'Duplicates', 'Trash'],
      Space: ['Members', 'Invitations', 'Integrations', 'Import', 'Export', 'Activity', 'Your spaces'],
    });
  });

  it('shows the watchlist under the library to members while the instance has it on', () => {
    const library = (role: SpaceRole, watchlist: boolean) =>
      navGroups(permissionsFor(me(role, false, { watchlist })), true)[0]?.links.map((l) => l.label);
    expect(library('member', true)).toEqual(['Library', 'Add', 'Wishlist', 'Tags', 'Insights', 'Watchlist', 'Duplicates', 'Trash']);
    expect(library('member', false)).not.toContain('Watchlist');
    expect(library('viewer', true)).not.toContain('Watchlist');
  });

  it('lists for a viewer only what a viewer may open', () => {
    expect(labels('viewer')).toEqual({ Library: ['Library', 'Wishlist', 'Tags', 'Insights'], Space: ['Members', 'Your spaces'] });
  });

  it('adds the instance group, with Health, for an administrator of the install', () => {
    expect(labels('member', true)['Instance admin']).toEqual(['Users', 'Spaces', 'Flags', 'Single sign-on', 'All activity', 'Health']);
  });

  it('without a space offers only Your spaces (to create one) and the instance pages', () => {
    expect(labels(null, true)).toEqual({
      Space: ['Your spaces'],
      'Instance admin': ['Users', 'Spaces', 'Flags', 'Single sign-on', 'All activity', 'Health'],
    });
  });
});
