import { describe, expect, it, vi } from 'vitest';
import { ApiError, createClient, getHealth, readCookie, toApiError } from './client';
import type { Health } from './types';

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

function clientAnswering(response: Response | (() => Promise<Response>), cookies = '') {
  const fetch = vi.fn<typeof globalThis.fetch>(() =>
    typeof response === 'function' ? response() : Promise.resolve(response),
  );
  return { request: createClient({ fetch, cookies: () => cookies }), fetch };
}

function sentHeaders(fetch: ReturnType<typeof vi.fn<typeof globalThis.fetch>>): Record<string, string> {
  const init = fetch.mock.calls[0]?.[1];
  return (init?.headers ?? {}) as Record<string, string>;
}

const envelope = {
  error: {
    code: 'csrf_failed',
    message: 'Missing or invalid CSRF token.',
    details: [{ field: 'X-CSRF-Token' }],
    request_id: 'req-123',
  },
};

describe('error parsing', () => {
  it('turns the error envelope into a typed ApiError', async () => {
    const { request } = clientAnswering(jsonResponse(403, envelope));

    const error = await request('/api/spaces', { method: 'POST', body: {} }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 403,
      code: 'csrf_failed',
      message: 'Missing or invalid CSRF token.',
      details: [{ field: 'X-CSRF-Token' }],
      requestId: 'req-123',
    });
  });

  it('falls back to the X-Request-Id header and empty details', () => {
    const error = toApiError(404, { error: { code: 'not_found', message: 'Not found.' } }, 'req-h');

    expect(error).toMatchObject({ status: 404, code: 'not_found', details: [], requestId: 'req-h' });
  });

  it('reports a body without the envelope as an unexpected response', async () => {
    const { request } = clientAnswering(new Response('<html>Bad Gateway</html>', { status: 502 }));

    await expect(request('/api/media')).rejects.toMatchObject({
      status: 502,
      code: 'unexpected_response',
      message: 'Request failed with status 502.',
    });
  });

  it('does not hand a non-JSON success body to the caller', async () => {
    const { request } = clientAnswering(new Response('<!doctype html>', { status: 200 }));

    await expect(request('/api/media')).rejects.toMatchObject({ status: 200, code: 'unexpected_response' });
  });

  it('reports an unreachable server as a network error', async () => {
    const { request } = clientAnswering(() => Promise.reject(new TypeError('fetch failed')));

    await expect(request('/api/media')).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });
});

describe('requests', () => {
  it('sends JSON with same-origin credentials and returns the parsed body', async () => {
    const { request, fetch } = clientAnswering(jsonResponse(201, { id: 'm1' }));

    const body = await request<{ id: string }>('/api/media', { method: 'POST', body: { title: 'Alien' } });

    expect(body).toEqual({ id: 'm1' });
    const init = fetch.mock.calls[0]?.[1];
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: '{"title":"Alien"}' });
    expect(sentHeaders(fetch)['Content-Type']).toBe('application/json');
  });

  it('returns undefined for 204 No Content', async () => {
    const { request } = clientAnswering(new Response(null, { status: 204 }));

    await expect(request('/api/auth/logout', { method: 'POST' })).resolves.toBeUndefined();
  });
});

describe('CSRF header', () => {
  const cookies = 'session_hint=1; csrf_token=tok%2Babc; theme=dark';

  it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'delete'])('is sent from the csrf_token cookie on %s', async (method) => {
    const { request, fetch } = clientAnswering(new Response(null, { status: 204 }), cookies);

    await request('/api/media/m1', { method });

    expect(sentHeaders(fetch)['X-CSRF-Token']).toBe('tok+abc');
  });

  it('is not sent on a GET', async () => {
    const { request, fetch } = clientAnswering(jsonResponse(200, {}), cookies);

    await request('/api/media');

    expect(sentHeaders(fetch)).not.toHaveProperty('X-CSRF-Token');
  });

  it('is sent from the __Host-csrf_token cookie when the server sets Secure cookies', async () => {
    const { request, fetch } = clientAnswering(
      new Response(null, { status: 204 }),
      'csrf_token=planted; __Host-csrf_token=tok%2Bsecure',
    );

    await request('/api/media/m1', { method: 'PATCH' });

    expect(sentHeaders(fetch)['X-CSRF-Token']).toBe('tok+secure');
  });

  it('is left out when there is no csrf_token cookie', async () => {
    const { request, fetch } = clientAnswering(new Response(null, { status: 204 }), 'other=1');

    await request('/api/auth/logout', { method: 'POST' });

    expect(sentHeaders(fetch)).not.toHaveProperty('X-CSRF-Token');
  });
});

describe('readCookie', () => {
  it('finds a cookie by its exact name', () => {
    expect(readCookie('xcsrf_token=no; csrf_token=yes', 'csrf_token')).toBe('yes');
    expect(readCookie('', 'csrf_token')).toBeUndefined();
  });
});

describe('getHealth', () => {
  const down: Health = {
    status: 'down',
    version: '0.1.0',
    git_sha: 'abc1234',
    build_date: '2025-01-01T00:00:00Z',
    services: { identity: { status: 'down', version: null } },
  };

  it('reads the health body from a 503 when the install is down', async () => {
    const { request } = clientAnswering(jsonResponse(503, down));

    await expect(getHealth(request)).resolves.toEqual(down);
  });

  it('still fails on a 503 that carries the error envelope', async () => {
    const { request } = clientAnswering(
      jsonResponse(503, { error: { code: 'unavailable', message: 'Gateway is starting.' } }),
    );

    await expect(getHealth(request)).rejects.toMatchObject({ status: 503, code: 'unavailable' });
  });
});
