import { apiRequest, type ApiClient } from './client';
import { seg, withQuery } from './shape';
import type { SsoConfig, SsoProviderInput, SsoTestResult } from './types';

export function getSsoConfig(request: ApiClient = apiRequest): Promise<SsoConfig> {
  return request('/api/admin/sso');
}

/** Replaces the instance's providers; a provider sent without `client_secret` keeps its secret. */
export function saveSsoConfig(providers: SsoProviderInput[], request: ApiClient = apiRequest): Promise<SsoConfig> {
  return request('/api/admin/sso', { method: 'PUT', body: { providers } });
}

/** Runs the provider's discovery from the server: always an answer, `ok: false` with a reason. */
export function testSsoIssuer(issuer: string, request: ApiClient = apiRequest): Promise<SsoTestResult> {
  return request('/api/admin/sso/test', { method: 'POST', body: { issuer } });
}

/** Where a "Sign in with …" button goes: the browser leaves for the provider and comes back signed in. */
export function ssoStartUrl(providerId: string, options: { next?: string; link?: boolean } = {}): string {
  const query: Record<string, string> = {};
  if (options.next && options.next !== '/') query.return_to = options.next;
  if (options.link) query.link = 'true';
  return withQuery(`/api/auth/sso/${seg(providerId)}/start`, query);
}
