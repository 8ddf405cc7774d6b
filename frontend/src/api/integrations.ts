import { apiRequest, type ApiClient } from './client';
import { seg } from './shape';
import type { IntegrationSettings, IntegrationTestResult, Provider } from './types';

export const PROVIDERS: readonly Provider[] = ['tmdb', 'barcode', 'vision', 'plex', 'trakt'];

/** Settings per provider; the server may answer with a list or a map keyed by provider. */
export async function listIntegrations(spaceId: string, request: ApiClient = apiRequest): Promise<IntegrationSettings[]> {
  const body = await request<unknown>(`/api/spaces/${seg(spaceId)}/integrations`);
  return normalizeIntegrations(body);
}

export function normalizeIntegrations(body: unknown): IntegrationSettings[] {
  let list: IntegrationSettings[] = [];
  if (Array.isArray(body)) list = body as IntegrationSettings[];
  else if (body && typeof body === 'object') {
    const source = Array.isArray((body as { items?: unknown }).items)
      ? ((body as { items: IntegrationSettings[] }).items)
      : Object.entries((body as { providers?: object }).providers ?? body).map(
          ([provider, value]) => ({ provider, ...(value as object) }) as IntegrationSettings,
        );
    list = source;
  }
  return PROVIDERS.map(
    (provider) => list.find((item) => item.provider === provider) ?? { provider, secret_set: false, status: 'untested' },
  );
}

export function saveIntegration(
  spaceId: string,
  provider: Provider,
  settings: Record<string, unknown>,
  request: ApiClient = apiRequest,
): Promise<IntegrationSettings> {
  return request(`/api/spaces/${seg(spaceId)}/integrations/${seg(provider)}`, { method: 'PUT', body: settings });
}

/** Tests `typed` (the fields of an update over the saved settings) without saving them. */
export function testIntegration(
  spaceId: string,
  provider: Provider,
  typed: Record<string, unknown> = {},
  request: ApiClient = apiRequest,
): Promise<IntegrationTestResult> {
  return request(`/api/spaces/${seg(spaceId)}/integrations/${seg(provider)}/test`, { method: 'POST', body: typed });
}
