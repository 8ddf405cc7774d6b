import { ApiError } from '../api/client';

/** A next step the error suggests: a page of the app that can fix it. */
export interface ErrorAction {
  label: string;
  to: string;
}

/** An error in words a user can act on. */
export interface UserMessage {
  title: string;
  message: string;
  /** The server's request id, for a report to the administrator. */
  requestId?: string;
  status: number;
  action?: ErrorAction;
  /** Seconds to wait before trying again, from `Retry-After`. */
  retryAfterSeconds?: number;
}

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(-1, 'unexpected_error', error instanceof Error ? error.message : 'Something went wrong.');
}

/** Field name → message, from validation details (`{field, message}` or FastAPI's `{loc, msg}`). */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const result: Record<string, string> = {};
  for (const detail of error.details) {
    if (!detail || typeof detail !== 'object') continue;
    const d = detail as { field?: unknown; loc?: unknown; message?: unknown; msg?: unknown };
    let field = typeof d.field === 'string' ? d.field : undefined;
    if (!field && Array.isArray(d.loc)) {
      const parts = d.loc.filter((part) => part !== 'body' && part !== 'query' && part !== 'path');
      field = parts.map(String).join('.');
    }
    const text = typeof d.message === 'string' ? d.message : typeof d.msg === 'string' ? d.msg : undefined;
    if (field && text && !(field in result)) result[field] = text;
  }
  return result;
}

/** Seconds from a `Retry-After` value: delta-seconds or an HTTP date (relative to `now`). */
export function retryAfterSeconds(value: string | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** "a few seconds", "about 40 seconds", "about 12 minutes", "about 2 hours". */
export function describeWait(seconds: number): string {
  if (seconds <= 5) return 'a few seconds';
  if (seconds < 60) return `about ${seconds} seconds`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return minutes === 1 ? 'about a minute' : `about ${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return hours === 1 ? 'about an hour' : `about ${hours} hours`;
}

// The kernel's default messages say nothing about the case: the app adds who can help.
const GENERIC_MESSAGES = new Set([
  'You are not allowed to do this.',
  'Forbidden',
  'forbidden',
  'Not found.',
  'Not Found',
  'not found',
  'The request conflicts with the current state.',
  'Too many attempts; try again later.',
  'The request is not valid.',
]);

// Codes whose fix is on the space's Integrations page.
const INTEGRATION_CODES = new Set([
  'provider_not_configured',
  'secret_undecryptable',
  'provider_unauthorized',
  'secret_required',
]);

// 5xx codes whose message is written for users (the rest may be internal text).
const SPOKEN_SERVER_CODES = new Set([
  'unavailable',
  'provider_unreachable',
  'provider_rate_limited',
  'provider_error',
  'provider_unauthorized',
  'unsupported_artwork',
]);

function sentence(text: string): string {
  const t = text.trim();
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}

function titleFor(status: number): string {
  if (status === 400 || status === 422) return 'Please check the form';
  if (status === 401) return 'Please sign in';
  if (status === 403) return 'Not allowed';
  if (status === 404) return 'Not found';
  if (status === 409) return 'Cannot do this now';
  if (status === 413) return 'Too large';
  if (status === 429) return 'Too many attempts';
  if (status === 503) return 'Temporarily unavailable';
  if (status >= 500) return 'Server error';
  return 'Something went wrong';
}

/**
 * The server's own message, with the action it suggests: the error shape's `message` is the text
 * shown; the status only picks the title and, for the kernel's generic messages, a hint.
 */
export function describeError(error: unknown, now: number = Date.now()): UserMessage {
  const e = asApiError(error);
  const base = { status: e.status, requestId: e.requestId };
  if (e.code === 'network_error' || e.status === 0) {
    return { ...base, title: 'Cannot reach Shelfspace', message: 'The server could not be reached. Check your connection, then try again.' };
  }
  if (e.code === 'csrf_failed') {
    return { ...base, title: 'Security check failed', message: 'Your session’s security token is missing or out of date. Reload the page and try again.' };
  }
  const wait = retryAfterSeconds(e.retryAfter, now);
  const serverText = e.message?.trim() ?? '';
  const generic = !serverText || GENERIC_MESSAGES.has(serverText);
  const result: UserMessage = { ...base, title: titleFor(e.status), message: serverText };
  if (wait !== undefined) result.retryAfterSeconds = wait;
  if (INTEGRATION_CODES.has(e.code)) {
    result.title = 'Integration not set up';
    result.action = { label: 'Open Integrations', to: '/space/integrations' };
    if (e.code === 'provider_unauthorized') result.title = 'Integration refused';
  }
  if (e.code === 'duplicate_title') {
    result.title = 'Already in this space';
    result.action = { label: 'Review duplicates', to: '/duplicates' };
  }

  if (e.status === 400 || e.status === 422) {
    const fields = Object.entries(fieldErrors(e));
    const list = fields.map(([field, text]) => `${field.replace(/_/g, ' ') || 'value'}: ${text}`).join('; ');
    if (list && generic) result.message = `Some fields need attention — ${list}.`;
    else if (list) result.message = `${sentence(serverText)} ${list}.`;
    else if (generic) result.message = 'Some values are not valid. Check them and try again.';
  } else if (e.status === 401) {
    if (e.code === 'unauthenticated' || generic) result.message = 'You are not signed in, or your session has ended. Sign in and try again.';
  } else if (e.status === 403) {
    if (generic) result.message = 'Your role in this space does not allow this. Ask an owner or admin of the space if you need access.';
  } else if (e.status === 404) {
    if (generic) result.message = 'This was not found. It may have been deleted, or it belongs to a space you are not in.';
  } else if (e.status === 409) {
    if (generic) result.message = 'This conflicts with the current state. Reload to see the latest, then try again.';
  } else if (e.status === 413) {
    if (generic) result.message = 'This is larger than the server accepts.';
  } else if (e.status >= 500 && !SPOKEN_SERVER_CODES.has(e.code)) {
    result.message = 'Something went wrong on the server. Try again; if it keeps happening, tell your administrator and give them the request id.';
  } else if (e.status === 503 && e.code === 'unavailable') {
    result.message = `${sentence(serverText || 'A service Shelfspace needs is not available right now.')} The System status page shows which service.`;
  } else if (generic) {
    result.message = result.message || 'Something went wrong. Try again.';
  }
  if (e.status === 429 || e.status === 503) {
    if (e.status === 429 && generic) result.message = 'Too many attempts in a short time.';
    result.message = `${sentence(result.message)} ${wait !== undefined ? `Try again in ${describeWait(wait)}.` : 'Wait a little, then try again.'}`;
  }
  return result;
}
