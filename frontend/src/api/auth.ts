import { apiRequest, type ApiClient } from './client';
import type { AuthConfig, Me, User } from './types';

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

export function login(email: string, password: string, request: ApiClient = apiRequest): Promise<{ user: User }> {
  return request('/api/auth/login', { method: 'POST', body: { email, password } });
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
