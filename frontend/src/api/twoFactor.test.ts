import { describe, expect, it, vi } from 'vitest';
import { resetTwoFactor, updateInstanceSettings } from './admin';
import { disableTwoFactor, enableTwoFactor, login, loginSecondFactor, setupTwoFactor } from './auth';
import { createClient } from './client';

function answering(status: number, body: unknown) {
  const fetch = vi.fn<typeof globalThis.fetch>(() =>
    Promise.resolve(
      status === 204 ? new Response(null, { status }) : new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }),
    ),
  );
  return { request: createClient({ fetch, cookies: () => 'csrf_token=tok' }), fetch };
}

function sent(fetch: ReturnType<typeof answering>['fetch']) {
  const [path, init] = fetch.mock.calls[0] ?? [];
  return { path, method: init?.method, body: init?.body ? JSON.parse(String(init.body)) : undefined };
}

describe('two-factor sign-in API', () => {
  it('passes a login challenge through instead of a user', async () => {
    const challenge = { two_factor_required: true, challenge_token: 'c1', expires_at: '2030-01-01T00:00:00Z' };
    const { request } = answering(200, challenge);
    expect(await login('a@b.c', 'pw', request)).toEqual(challenge);
  });

  it('sends the challenge with exactly one factor', async () => {
    const withCode = answering(200, { user: {} });
    await loginSecondFactor('c1', { code: '123456' }, withCode.request);
    const withRecovery = answering(200, { user: {} });
    await loginSecondFactor('c1', { recovery_code: 'abcde-12345' }, withRecovery.request);

    expect(sent(withCode.fetch)).toEqual({ path: '/api/auth/login/2fa', method: 'POST', body: { challenge_token: 'c1', code: '123456' } });
    expect(sent(withRecovery.fetch).body).toEqual({ challenge_token: 'c1', recovery_code: 'abcde-12345' });
  });

  it('enrols, turns off and resets at the documented paths', async () => {
    const setup = answering(200, { otpauth_uri: 'otpauth://totp/x?secret=A', qr_svg: '<svg/>' });
    const enable = answering(200, { recovery_codes: ['a'] });
    const disable = answering(204, null);
    const reset = answering(204, null);
    await setupTwoFactor(setup.request);
    expect(await enableTwoFactor('123456', enable.request)).toEqual({ recovery_codes: ['a'] });
    await disableTwoFactor('pw', disable.request);
    await resetTwoFactor('u/1', reset.request);

    expect(sent(setup.fetch)).toMatchObject({ path: '/api/auth/2fa/setup', method: 'POST' });
    expect(sent(enable.fetch).body).toEqual({ code: '123456' });
    expect(sent(disable.fetch)).toMatchObject({ path: '/api/auth/2fa/disable', body: { current_password: 'pw' } });
    expect(sent(reset.fetch).path).toBe('/api/admin/users/u%2F1/2fa/reset');
  });
});

describe('instance settings', () => {
  it('switches the admin two-factor requirement alone', async () => {
    const { request, fetch } = answering(200, { registration: 'open', space_creation: 'everyone', two_factor_for_admins: true });
    const saved = await updateInstanceSettings({ two_factor_for_admins: true }, request);

    expect(sent(fetch)).toEqual({ path: '/api/admin/instance-settings', method: 'PATCH', body: { two_factor_for_admins: true } });
    expect(saved.two_factor_for_admins).toBe(true);
  });
});
