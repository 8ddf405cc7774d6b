import type { Permissions } from './roles';

export interface NavEntry {
  to: string;
  label: string;
}

export interface NavGroup {
  id: 'library' | 'space' | 'admin';
  title: string;
  links: NavEntry[];
}

/** The navigation, grouped: the library, the active space, the instance; only what the role may open. */
export function navGroups(permissions: Permissions, hasSpace: boolean): NavGroup[] {
  const p = permissions;
  const when = (condition: boolean, entry: NavEntry): NavEntry[] => (condition ? [entry] : []);
  const groups: NavGroup[] = [];
  if (hasSpace) {
    groups.push({
      id: 'library',
      title: 'Library',
      links: [
        { to: '/', label: 'Library' },
        ...when(p.canAddTitles, { to: '/add', label: 'Add' }),
        { to: '/wishlist', label: 'Wishlist' },
        { to: '/tags', label: 'Tags' },
        { to: '/insights', label: 'Insights' },
        ...when(p.canUseWatchlist, { to: '/watchlist', label: 'Watchlist' }),
        ...when(p.canSeeDuplicates, { to: '/duplicates', label: 'Duplicates' }),
        ...when(p.canSeeTrash, { to: '/trash', label: 'Trash' }),
      ],
    });
  }
  groups.push({
    id: 'space',
    title: 'Space',
    links: [
      ...when(hasSpace, { to: '/space/members', label: 'Members' }),
      ...when(hasSpace && p.canManageSpace, { to: '/space/invites', label: 'Invitations' }),
      ...when(hasSpace && p.canManageSpace, { to: '/space/integrations', label: 'Integrations' }),
      ...when(hasSpace && p.canSeeImports, { to: '/import', label: 'Import' }),
      ...when(hasSpace && p.canExport, { to: '/space/export', label: 'Export' }),
      ...when(hasSpace && p.canManageSpace, { to: '/space/activity', label: 'Activity' }),
      { to: '/spaces', label: 'Your spaces' },
    ],
  });
  if (p.isInstanceAdmin) {
    groups.push({
      id: 'admin',
      title: 'Instance admin',
      links: [
        { to: '/admin/users', label: 'Users' },
        { to: '/admin/spaces', label: 'Spaces' },
        { to: '/admin/flags', label: 'Flags' },
        { to: '/admin/sso', label: 'Single sign-on' },
        { to: '/admin/activity', label: 'All activity' },
        { to: '/status', label: 'Health' },
      ],
    });
  }
  return groups;
}
