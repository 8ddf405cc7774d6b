import { apiRequest, type ApiClient } from './client';
import { asList, seg, withQuery } from './shape';
import type { ActivityFilters } from './spaces';
import type { ActivityFacets, ActivityRow, AdminSpace, AdminUser, FeatureFlag, GlobalRole, InstanceSettings, Page, ResetLink } from './types';

export async function listUsers(request: ApiClient = apiRequest): Promise<AdminUser[]> {
  return asList<AdminUser>(await request('/api/admin/users?limit=200'));
}

export function updateUser(
  userId: string,
  change: { role?: GlobalRole; disabled?: boolean },
  request: ApiClient = apiRequest,
): Promise<AdminUser> {
  return request(`/api/admin/users/${seg(userId)}`, { method: 'PATCH', body: change });
}

export function deleteUser(userId: string, request: ApiClient = apiRequest): Promise<unknown> {
  return request(`/api/admin/users/${seg(userId)}`, { method: 'DELETE' });
}

/** A one-time password reset link for the user (shown once; a newer link replaces it). */
export function createResetLink(userId: string, request: ApiClient = apiRequest): Promise<ResetLink> {
  return request(`/api/admin/users/${seg(userId)}/reset-link`, { method: 'POST' });
}

/** Turns the user's two-factor sign-in off (a lost phone): the password alone signs in again. */
export function resetTwoFactor(userId: string, request: ApiClient = apiRequest): Promise<unknown> {
  return request(`/api/admin/users/${seg(userId)}/2fa/reset`, { method: 'POST' });
}

export function getInstanceSettings(request: ApiClient = apiRequest): Promise<InstanceSettings> {
  return request('/api/admin/instance-settings');
}

export function updateInstanceSettings(change: Partial<InstanceSettings>, request: ApiClient = apiRequest): Promise<InstanceSettings> {
  return request('/api/admin/instance-settings', { method: 'PATCH', body: change });
}

export async function listAllSpaces(request: ApiClient = apiRequest): Promise<AdminSpace[]> {
  return asList<AdminSpace>(await request('/api/admin/spaces?limit=200'));
}

/** Flags may come as a list or as a `{key: enabled}` map. */
export async function listFeatureFlags(request: ApiClient = apiRequest): Promise<FeatureFlag[]> {
  const body = await request<unknown>('/api/admin/feature-flags');
  if (Array.isArray(body) || (body && typeof body === 'object' && 'items' in body)) return asList<FeatureFlag>(body);
  if (body && typeof body === 'object') {
    return Object.entries(body as Record<string, unknown>).map(([key, value]) =>
      typeof value === 'object' && value !== null
        ? { key, ...(value as Omit<FeatureFlag, 'key'>) }
        : { key, enabled: Boolean(value) },
    );
  }
  return [];
}

export function setFeatureFlag(key: string, enabled: boolean, request: ApiClient = apiRequest): Promise<unknown> {
  return request(`/api/admin/feature-flags/${seg(key)}`, { method: 'PATCH', body: { enabled } });
}

export function globalActivity(
  filters: ActivityFilters,
  cursor: string | null,
  request: ApiClient = apiRequest,
): Promise<Page<ActivityRow>> {
  return request(withQuery('/api/admin/activity', { ...filters, limit: 50, cursor: cursor ?? undefined }));
}

/** The people and kinds of action in the whole log, for its filters. */
export function globalActivityFacets(request: ApiClient = apiRequest): Promise<ActivityFacets> {
  return request('/api/admin/activity/facets');
}

/** The export is CSV, so it is a download link rather than a JSON call. */
export function activityExportUrl(filters: ActivityFilters): string {
  return withQuery('/api/admin/activity/export', { ...filters });
}
