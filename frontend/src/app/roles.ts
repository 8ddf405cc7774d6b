import type { Media, Me, SpaceRole } from '../api/types';

const RANK: Record<SpaceRole, number> = { viewer: 1, member: 2, admin: 3, owner: 4 };

export function atLeast(role: SpaceRole | null | undefined, minimum: SpaceRole): boolean {
  return role ? RANK[role] >= RANK[minimum] : false;
}

/** What the UI offers; the server decides again on every request. */
export interface Permissions {
  role: SpaceRole | null;
  canAddTitles: boolean;
  canAnnotate: boolean;
  canSeeTrash: boolean;
  canSeeDuplicates: boolean;
  canMerge: boolean;
  canSeeImports: boolean;
  canStartImport: boolean;
  canManageSpace: boolean;
  /** Members and up download the space (what they may see). */
  canExport: boolean;
  /** Feature flags of the instance: the server refuses their routes while a flag is off. */
  canRecognizeCovers: boolean;
  canScheduleImports: boolean;
  /** The merged Plex and Trakt watchlist and linking Trakt: members and up. */
  canUseWatchlist: boolean;
  canGrantOwner: boolean;
  isInstanceAdmin: boolean;
  canEditTitle: (media: Pick<Media, 'added_by'>) => boolean;
  /** Lend and return copies, see loans. */
  canLend: boolean;
}

export function permissionsFor(me: Me | null | undefined): Permissions {
  const role = me?.active_space?.role ?? null;
  const userId = me?.user.id;
  const member = atLeast(role, 'member');
  const admin = atLeast(role, 'admin');
  const enabled = (flag: string) => me?.features[flag] === true;
  return {
    role,
    canAddTitles: member,
    canAnnotate: atLeast(role, 'viewer'),
    canSeeTrash: member,
    canSeeDuplicates: member,
    canMerge: admin,
    canSeeImports: member,
    canStartImport: admin,
    canManageSpace: admin,
    canExport: member,
    canRecognizeCovers: member && enabled('cover_recognition'),
    canScheduleImports: admin && enabled('scheduled_sync'),
    canUseWatchlist: member && enabled('watchlist'),
    canGrantOwner: role === 'owner',
    isInstanceAdmin: me?.user.role === 'admin',
    canEditTitle: (media) => admin || (member && !!userId && media.added_by === userId),
    canLend: member,
  };
}

/** The roles a manager may hand out: an admin cannot grant owner. */
export function assignableRoles(permissions: Permissions): SpaceRole[] {
  return permissions.canGrantOwner ? ['owner', 'admin', 'member', 'viewer'] : ['admin', 'member', 'viewer'];
}

export const ROLE_LABELS: Record<SpaceRole, string> = {
  owner: 'Owner',
  admin: 'Admin',
  member: 'Member',
  viewer: 'Viewer',
};
