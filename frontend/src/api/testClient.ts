import { vi } from 'vitest';
import { createClient } from './client';

/** For the API client's tests: a client whose fetch answers `body` (or nothing for 204) with `status`. */
export function answering(body: unknown, status = 200) {
  const fetch = vi.fn<typeof globalThis.fetch>(() =>
    Promise.resolve(
      status === 204
        ? new Response(null, { status })
        : new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }),
    ),
  );
  return { request: createClient({ fetch, cookies: () => 'csrf_token=tok' }), fetch };
}
