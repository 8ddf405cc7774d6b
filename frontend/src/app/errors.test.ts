import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { toApiError } from '../api/client';
import { describeError, describeWait, fieldErrors, retryAfterSeconds } from './errors';

describe('error → message a user can act on', () => {
  it('a 403 says the role is the problem and who can help', () => {
    const m = describeError(new ApiError(403, 'forbidden', 'Forbidden'));
    expect(m.title).toBe('Not allowed');
    expect(m.message).toMatch(/owner or admin/);
  });

  it('a CSRF failure asks for a reload rather than blaming the role', () => {
    expect(describeError(new ApiError(403, 'csrf_failed', 'x')).message).toMatch(/Reload the page/);
  });

  it('validation errors name the fields from either detail shape', () => {
    const error = new ApiError(422, 'validation_failed', 'Invalid', [
      { field: 'email', message: 'is not a valid email' },
      { loc: ['body', 'year'], msg: 'must be at least 1870' },
    ]);
    expect(fieldErrors(error)).toEqual({ email: 'is not a valid email', year: 'must be at least 1870' });
    expect(describeError(error).message).toContain('email: is not a valid email');
  });

  it('a 413 gives the server’s own words about the limit', () => {
    const m = describeError(new ApiError(413, 'payload_too_large', 'The file is larger than 50 MB.'));
    expect(m).toMatchObject({ title: 'Too large', message: 'The file is larger than 50 MB.' });
  });

  it('network failures, rate limits and outages each say what to do next', () => {
    expect(describeError(new ApiError(0, 'network_error', 'x')).message).toMatch(/connection/);
    expect(describeError(new ApiError(429, 'rate_limited', 'x')).message).toMatch(/Wait a little/);
    expect(describeError(new ApiError(503, 'unavailable', 'TMDB is not configured.')).message).toMatch(
      /^TMDB is not configured\. .*System status/,
    );
  });

  it('a server error never shows internal text and offers the request id', () => {
    const m = describeError(new ApiError(500, 'internal', 'Traceback...', [], 'req-9'));
    expect(m.message).not.toContain('Traceback');
    expect(m.requestId).toBe('req-9');
  });

  it('a 404 explains it may be gone or in another space; a 409 keeps the server reason', () => {
    expect(describeError(new ApiError(404, 'not_found', 'Not found.')).message).toMatch(/deleted/);
    expect(describeError(new ApiError(404, 'not_found', 'No such title in this space.')).message).toBe('No such title in this space.');
    expect(describeError(new ApiError(409, 'conflict', 'The invite was already used.')).message).toMatch(/already used/);
    expect(describeError(new ApiError(409, 'conflict', 'The request conflicts with the current state.')).message).toMatch(/Reload/);
  });

  it('handles errors that are not API errors', () => {
    expect(describeError(new Error('boom')).message).toBe('boom');
    expect(fieldErrors('nope')).toEqual({});
  });

  // Bodies below are the ones the services send (shelfspace_kernel.errors, identity, integrations).
  const body = (code: string, message: string, details: unknown[] = []) => ({
    error: { code, message, details, request_id: 'req-1' },
  });

  it('an invite for another email says so, not that the role forbids it', () => {
    const e = toApiError(403, body('invite_email_mismatch', 'This invite was sent to another email address.'));
    expect(describeError(e)).toMatchObject({ title: 'Not allowed', message: 'This invite was sent to another email address.' });
  });

  it('the gateway’s bare refusal still explains roles and who can help', () => {
    const e = toApiError(403, body('forbidden', 'You are not allowed to do this.'));
    expect(describeError(e).message).toMatch(/owner or admin/);
  });

  it('a provider that is not set up links to Integrations with the server’s words', () => {
    const e = toApiError(
      409,
      body('provider_not_configured', 'This integration is not set up for the space; an owner or admin can configure it.'),
    );
    const m = describeError(e);
    expect(m.message).toBe('This integration is not set up for the space; an owner or admin can configure it.');
    expect(m.message).not.toMatch(/Reload/);
    expect(m.action).toEqual({ label: 'Open Integrations', to: '/space/integrations' });
  });

  it('a TMDB id another title has points at the duplicates, with the server’s words', () => {
    const text = '“The Matrix” already has this TMDB id in this space: merge the two titles instead (Library → Duplicates).';
    const m = describeError(toApiError(409, body('duplicate_title', text)));
    expect(m.message).toBe(text);
    expect(m.title).toBe('Already in this space');
    expect(m.action).toEqual({ label: 'Review duplicates', to: '/duplicates' });
  });

  it('an undecryptable secret also points at Integrations', () => {
    const e = toApiError(409, body('secret_undecryptable', 'The stored secret cannot be decrypted with the configured keys.'));
    expect(describeError(e).action?.to).toBe('/space/integrations');
  });

  it('a 429 tells the real wait from Retry-After in seconds', () => {
    const e = toApiError(429, body('rate_limited', 'Too many attempts; try again later.'), 'req-1', '737');
    const m = describeError(e);
    expect(m.retryAfterSeconds).toBe(737);
    expect(m.message).toBe('Too many attempts in a short time. Try again in about 12 minutes.');
  });

  it('a 429 with an HTTP date waits until that date', () => {
    const now = Date.parse('2026-12-07T18:00:00Z');
    const e = toApiError(429, body('rate_limited', 'Too many TMDB requests for this space; try again in 40 s.'), null, 'Mon, 07 Dec 2026 18:00:40 GMT');
    const m = describeError(e, now);
    expect(m.retryAfterSeconds).toBe(40);
    expect(m.message).toBe('Too many TMDB requests for this space; try again in 40 s. Try again in about 40 seconds.');
  });

  it('a provider that answered with something unexpected is described in its words, not as a crash', () => {
    const e = toApiError(502, body('provider_error', 'The provider answered with something unexpected.'));
    expect(describeError(e)).toMatchObject({ title: 'Server error', message: 'The provider answered with something unexpected.' });
  });

  it('the kernel’s outage answer names the wait it sent', () => {
    const e = toApiError(503, body('unavailable', 'A dependency is unavailable; try again shortly.'), null, '5');
    expect(describeError(e).message).toMatch(/System status page.*Try again in a few seconds\./);
  });

  it('a typed confirmation that does not match shows the field', () => {
    const e = toApiError(
      422,
      body('validation_failed', 'The request is not valid.', [
        { field: 'confirm_name', message: "does not match the space's name", type: 'mismatch' },
      ]),
    );
    expect(fieldErrors(e)).toEqual({ confirm_name: "does not match the space's name" });
    expect(describeError(e).message).toBe("Some fields need attention — confirm name: does not match the space's name.");
  });

  it('reads Retry-After either way and words the wait', () => {
    expect(retryAfterSeconds('120')).toBe(120);
    expect(retryAfterSeconds('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('2015-10-21T07:27:00Z'))).toBe(60);
    expect(retryAfterSeconds('soon')).toBeUndefined();
    expect(describeWait(3)).toBe('a few seconds');
    expect(describeWait(60)).toBe('about a minute');
    expect(describeWait(7200)).toBe('about 2 hours');
  });
});
