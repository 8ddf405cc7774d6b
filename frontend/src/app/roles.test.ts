import { describe, expect, it } from 'vitest';
import type { Me, SpaceRole } from '../api/types';
import { assignableRoles, atLeast, permissionsFor } from './roles';

function me(
  role: SpaceRole | null,
  globalRole: 'admin' | 'user' = 'user',
  features: Record<string, boolean> = {},
): Me {
  const space = role ? { id: 's1', name: 'Home', role } : null;
  return {
    user: { id: 'u1', email: 'a@example.com', name: 'A', role: globalRole },
    active_space: space,
    spaces: space ? [space] : [],
    features,
  };
}

describe('role → visible controls', () => {
  it('members and up may export the space, a viewer may not', () => {
    expect((['viewer', 'member', 'admin', 'owner'] as const).map((role) => permissionsFor(me(role)).canExport)).toEqual([
      false,
      true,
      true,
      true,
    ]);
  });

  it('a viewer sees no edit controls, but may keep private notes', () => {
    const p = permissionsFor(me('viewer'));
    expect(p.canAddTitles).toBe(false);
    expect(p.canEditTitle({ added_by: 'u1' })).toBe(false);
    expect(p.canMerge || p.canStartImport || p.canManageSpace || p.canSeeTrash).toBe(false);
    expect(p.canAnnotate).toBe(true);
  });

  it('a member adds titles and edits only the ones they added', () => {
    const p = permissionsFor(me('member'));
    expect(p.canAddTitles).toBe(true);
    expect(p.canEditTitle({ added_by: 'u1' })).toBe(true);
    expect(p.canEditTitle({ added_by: 'someone-else' })).toBe(false);
    expect(p.canMerge).toBe(false);
    expect(p.canSeeDuplicates).toBe(true);
  });

  it('an admin edits any title, merges, imports and manages the space but cannot grant owner', () => {
    const p = permissionsFor(me('admin'));
    expect(p.canEditTitle({ added_by: 'someone-else' })).toBe(true);
    expect(p.canMerge && p.canStartImport && p.canManageSpace).toBe(true);
    expect(assignableRoles(p)).not.toContain('owner');
  });

  it('an owner can hand out every role', () => {
    expect(assignableRoles(permissionsFor(me('owner')))).toEqual(['owner', 'admin', 'member', 'viewer']);
  });

  it('the instance admin role opens admin pages but not a space it is not in', () => {
    const p = permissionsFor(me(null, 'admin'));
    expect(p.isInstanceAdmin).toBe(true);
    expect(p.canAddTitles).toBe(false);
  });

  it('a feature that is off is offered to nobody, one that is on to the roles that may use it', () => {
    const off = permissionsFor(me('owner', 'admin', { cover_recognition: false }));
    expect(off.canRecognizeCovers || off.canScheduleImports).toBe(false);
    const on = { cover_recognition: true, scheduled_sync: true };
    expect(permissionsFor(me('member', 'user', on)).canRecognizeCovers).toBe(true);
    expect(permissionsFor(me('member', 'user', on)).canScheduleImports).toBe(false);
    expect(permissionsFor(me('admin', 'user', on)).canScheduleImports).toBe(true);
    expect(permissionsFor(me('viewer', 'user', on)).canRecognizeCovers).toBe(false);
  });

  it('nobody signed in may do anything', () => {
    const p = permissionsFor(null);
    expect(Object.entries(p).filter(([, v]) => v === true)).toEqual([]);
  });

  it('ranks roles', () => {
    expect(atLeast('owner', 'admin')).toBe(true);
    expect(atLeast('member', 'admin')).toBe(false);
    expect(atLeast(null, 'viewer')).toBe(false);
  });
});
