import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { describeError, fieldErrors } from './errors';

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
    expect(describeError(new ApiError(429, 'rate_limited', 'x')).message).toMatch(/Wait/);
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
    expect(describeError(new ApiError(404, 'not_found', 'x')).message).toMatch(/deleted/);
    expect(describeError(new ApiError(409, 'conflict', 'The invite was already used.')).message).toMatch(/already used/);
  });

  it('handles errors that are not API errors', () => {
    expect(describeError(new Error('boom')).message).toBe('boom');
    expect(fieldErrors('nope')).toEqual({});
  });
});
