import { apiRequest, type ApiClient } from './client';
import { asList, seg } from './shape';
import type { ApiToken, AuthConfig, CreatedApiToken, Me, SpaceRole, TwoFactorChallenge, TwoFactorSetup, User } from './types';

export function getAuthConfig(request: ApiClient = apiRequest): Promise<AuthConfig> {
  return request<AuthConfig>('/api/auth/config');
}

export interface RegisterInput {
  email: string;
  password: string;
  name: string;
  invite_token?: string;
}

export function register(input: RegisterInput, request: ApiClient = apiRequest): Promise<{ user: User }> {
  return request('/api/auth/register', { method: 'POST', body: input });
}

/** A session, or (for an account with two-factor sign-in) a challenge to answer with a code. */
export function login(
  email: string,
  password: string,
  request: ApiClient = apiRequest,
): Promise<{ user: User } | TwoFactorChallenge> {
  return request('/api/auth/login', { method: 'POST', body: { email, password } });
}

/** The second step of a sign-in: a code from the authenticator app, or one recovery code. */
export type SecondFactor = { code: string } | { recovery_code: string };

export function loginSecondFactor(challenge: string, factor: SecondFactor, request: ApiClient = apiRequest): Promise<{ user: User }> {
  return request('/api/auth/login/2fa', { method: 'POST', body: { challenge_token: challenge, ...factor } });
}

export function setupTwoFactor(request: ApiClient = apiRequest): Promise<TwoFactorSetup> {
  return request('/api/auth/2fa/setup', { method: 'POST' });
}

export function enableTwoFactor(code: string, request: ApiClient = apiRequest): Promise<{ recovery_codes: string[] }> {
  return request('/api/auth/2fa/enable', { method: 'POST', body: { code } });
}

export function disableTwoFactor(currentPassword: string, request: ApiClient = apiRequest): Promise<unknown> {
  return request('/api/auth/2fa/disable', { method: 'POST', body: { current_password: currentPassword } });
}

export function logout(request: ApiClient = apiRequest): Promise<void> {
  return request('/api/auth/logout', { method: 'POST' });
}

export function getMe(request: ApiClient = apiRequest, signal?: AbortSignal): Promise<Me> {
  return request<Me>('/api/auth/me', { signal });
}

export interface ProfileInput {
  name?: string;
  email?: string;
  password?: string;
  current_password?: string;
}

export function updateMe(input: ProfileInput, request: ApiClient = apiRequest): Promise<unknown> {
  return request('/api/auth/me', { method: 'PATCH', body: input });
}

export function acceptInvite(token: string, request: ApiClient = apiRequest): Promise<unknown> {
  return request('/api/invites/accept', { method: 'POST', body: { token } });
}

/** Always answers 202: whether the email has an account is never told. */
export function requestPasswordReset(email: string, request: ApiClient = apiRequest): Promise<unknown> {
  return request('/api/auth/password-reset/request', { method: 'POST', body: { email } });
}

export function resetPassword(token: string, password: string, request: ApiClient = apiRequest): Promise<unknown> {
  return request('/api/auth/password-reset', { method: 'POST', body: { token, password } });
}

export async function listApiTokens(request: ApiClient = apiRequest): Promise<ApiToken[]> {
  return asList<ApiToken>(await request('/api/auth/tokens'));
}

export interface ApiTokenInput {
  name: string;
  space_id: string;
  role: SpaceRole;
  expires_at?: string;
}

export function createApiToken(input: ApiTokenInput, request: ApiClient = apiRequest): Promise<CreatedApiToken> {
  return request('/api/auth/tokens', { method: 'POST', body: input });
}

export function revokeApiToken(tokenId: string, request: ApiClient = apiRequest): Promise<unknown> {
  return request(`/api/auth/tokens/${seg(tokenId)}`, { method: 'DELETE' });
}
