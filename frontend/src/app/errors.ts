import { ApiError } from '../api/client';

/** An error in words a user can act on. */
export interface UserMessage {
  title: string;
  message: string;
  /** The server's request id, for a report to the administrator. */
  requestId?: string;
  status: number;
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

export function describeError(error: unknown): UserMessage {
  const e = asApiError(error);
  const base = { status: e.status, requestId: e.requestId };
  if (e.code === 'network_error' || e.status === 0) {
    return { ...base, title: 'Cannot reach Shelfspace', message: 'The server could not be reached. Check your connection, then try again.' };
  }
  if (e.code === 'csrf_failed') {
    return { ...base, title: 'Security check failed', message: 'Your session’s security token is missing or out of date. Reload the page and try again.' };
  }
  switch (e.status) {
    case 400:
    case 422: {
      const fields = Object.entries(fieldErrors(e));
      const list = fields.map(([field, text]) => `${field.replace(/_/g, ' ')}: ${text}`).join('; ');
      return {
        ...base,
        title: 'Please check the form',
        message: list ? `Some fields need attention — ${list}.` : e.message || 'Some values are not valid. Check them and try again.',
      };
    }
    case 401:
      return { ...base, title: 'Please sign in', message: e.message && e.code !== 'unauthenticated' ? e.message : 'You are not signed in, or your session has ended. Sign in and try again.' };
    case 403:
      return {
        ...base,
        title: 'Not allowed',
        message: 'Your role in this space does not allow this. Ask an owner or admin of the space if you need access.',
      };
    case 404:
      return { ...base, title: 'Not found', message: 'This was not found. It may have been deleted, or it belongs to a space you are not in.' };
    case 409:
      return { ...base, title: 'Conflict', message: `${e.message || 'This conflicts with the current state.'} Reload to see the latest, then try again.` };
    case 413:
      return { ...base, title: 'Too large', message: e.message || 'This is larger than the server accepts.' };
    case 429:
      return { ...base, title: 'Too many attempts', message: 'Too many attempts in a short time. Wait a minute, then try again.' };
    case 503:
      return {
        ...base,
        title: 'Temporarily unavailable',
        message: `${e.message ? `${e.message} ` : ''}A service Shelfspace needs is not available right now. Try again shortly; the System status page shows which one.`,
      };
    default:
      if (e.status >= 500) {
        return { ...base, title: 'Server error', message: 'Something went wrong on the server. Try again; if it keeps happening, tell your administrator and give them the request id.' };
      }
      return { ...base, title: 'Something went wrong', message: e.message || 'Something went wrong. Try again.' };
  }
}
