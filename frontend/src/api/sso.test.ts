import { describe, expect, it, vi } from 'vitest';
import { createClient } from './client';
import { getSsoConfig, saveSsoConfig, ssoStartUrl, testSsoIssuer } from './sso';

function answering(status: number, body: unknown) {
  const fetch = vi.fn<typeof globalThis.fetch>(() =>
    Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })),
  );
  return { request: createClient({ fetch, cookies: () => 'csrf_token=tok' }), fetch };
}

function sent(fetch: ReturnType<typeof answering>['fetch']) {
  const [path, init] = fetch.mock.calls[0] ?? [];
  return { path, method: init?.method ?? 'GET', body: init?.body ? JSON.parse(String(init.body)) : undefined };
}

describe('single sign-on API', () => {
  it('starts a sign-in at the provider route, returning to the page asked for', () => {
    expect(ssoStartUrl('authelia')).toBe('/api/auth/sso/authelia/start');
    expect(ssoStartUrl('authelia', { next: '/titles/1?x=y' })).toBe('/api/auth/sso/authelia/start?return_to=%2Ftitles%2F1%3Fx%3Dy');
    expect(ssoStartUrl('a/b', { link: true, next: '/profile' })).toBe('/api/auth/sso/a%2Fb/start?return_to=%2Fprofile&link=true');
  });

  it('reads, saves and tests the settings at the documented paths', async () => {
    const config = { providers: [], forward_auth: false };
    const get = answering(200, config);
    const put = answering(200, config);
    const test = answering(200, { ok: false, detail: 'The sign-in provider could not be reached (discovery).' });
    expect(await getSsoConfig(get.request)).toEqual(config);
    await saveSsoConfig([], put.request);
    const result = await testSsoIssuer('https://auth.example.org', test.request);

    expect(sent(get.fetch)).toMatchObject({ path: '/api/admin/sso', method: 'GET' });
    expect(sent(put.fetch)).toEqual({ path: '/api/admin/sso', method: 'PUT', body: { providers: [] } });
    expect(sent(test.fetch)).toEqual({ path: '/api/admin/sso/test', method: 'POST', body: { issuer: 'https://auth.example.org' } });
    expect(result.ok).toBe(false);
  });
});
