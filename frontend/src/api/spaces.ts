import { apiRequest, type ApiClient } from './client';
import { asList, seg, withQuery } from './shape';
import type { ActivityFacets, ActivityRow, CreatedInvite, Invite, Member, Page, SpaceRef, SpaceRole } from './types';

export async function listSpaces(request: ApiClient = apiRequest): Promise<SpaceRef[]> {
  return asList<SpaceRef>(await request('/api/spaces'));
}

export function createSpace(name: string, request: ApiClient = apiRequest): Promise<SpaceRef> {
  return request('/api/spaces', { method: 'POST', body: { name } });
}

export function renameSpace(spaceId: string, name: string, request: ApiClient = apiRequest): Promise<SpaceRef> {
  return request(`/api/spaces/${seg(spaceId)}`, { method: 'PATCH', body: { name } });
}

export function setActiveSpace(spaceId: string, request: ApiClient = apiRequest): Promise<unknown> {
  return request('/api/spaces/active', { method: 'POST', body: { space_id: spaceId } });
}

export async function listMembers(spaceId: string, request: ApiClient = apiRequest): Promise<Member[]> {
  return asList<Member>(await request(`/api/spaces/${seg(spaceId)}/members`));
}

export function changeMemberRole(
  spaceId: string,
  userId: string,
  role: SpaceRole,
  request: ApiClient = apiRequest,
): Promise<unknown> {
  return request(`/api/spaces/${seg(spaceId)}/members/${seg(userId)}`, { method: 'PATCH', body: { role } });
}

export function removeMember(spaceId: string, userId: string, request: ApiClient = apiRequest): Promise<unknown> {
  return request(`/api/spaces/${seg(spaceId)}/members/${seg(userId)}`, { method: 'DELETE' });
}

export async function listInvites(spaceId: string, all: boolean, request: ApiClient = apiRequest): Promise<Invite[]> {
  return asList<Invite>(
    await request(withQuery(`/api/spaces/${seg(spaceId)}/invites`, { state: all ? 'all' : undefined })),
  );
}

export function createInvite(
  spaceId: string,
  email: string,
  role: SpaceRole,
  request: ApiClient = apiRequest,
): Promise<CreatedInvite> {
  return request(`/api/spaces/${seg(spaceId)}/invites`, { method: 'POST', body: { email, role } });
}

export function revokeInvite(spaceId: string, inviteId: string, request: ApiClient = apiRequest): Promise<unknown> {
  return request(`/api/spaces/${seg(spaceId)}/invites/${seg(inviteId)}/revoke`, { method: 'POST' });
}

export interface ActivityFilters {
  action?: string;
  user_id?: string;
  space_id?: string;
  entity_type?: string;
  entity_id?: string;
  from?: string;
  to?: string;
  q?: string;
}

export function spaceActivity(
  spaceId: string,
  filters: ActivityFilters,
  cursor: string | null,
  request: ApiClient = apiRequest,
): Promise<Page<ActivityRow>> {
  return request(
    withQuery(`/api/spaces/${seg(spaceId)}/activity`, { ...filters, limit: 50, cursor: cursor ?? undefined }),
  );
}

/** The people and kinds of action in the space's log, for its filters. */
export function spaceActivityFacets(spaceId: string, request: ApiClient = apiRequest): Promise<ActivityFacets> {
  return request(`/api/spaces/${seg(spaceId)}/activity/facets`);
}

/** Deletes a space and everything in it; the server checks the typed name. */
export function deleteSpace(spaceId: string, confirmName: string, request: ApiClient = apiRequest): Promise<unknown> {
  return request(`/api/spaces/${seg(spaceId)}`, { method: 'DELETE', body: { confirm_name: confirmName } });
}

/** Leaves a space (the last owner cannot). */
export function leaveSpace(spaceId: string, userId: string, request: ApiClient = apiRequest): Promise<unknown> {
  return removeMember(spaceId, userId, request);
}
