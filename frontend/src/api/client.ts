import type { ApiErrorBody, Health } from './types';

const MUTATING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// `__Host-csrf_token` when the server sets Secure cookies, else `csrf_token`; the prefixed one wins.
const CSRF_COOKIES = ['__Host-csrf_token', 'csrf_token'];
const CSRF_HEADER = 'X-CSRF-Token';
const SPACE_HEADER = 'X-Space-Id';
const NOT_JSON = Symbol('not-json');

/** A failed API call, in the shape of the server's error envelope. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown[];
  readonly requestId: string | undefined;
  /** The raw `Retry-After` header (seconds or an HTTP date), when the server sent one. */
  readonly retryAfter: string | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    details: unknown[] = [],
    requestId?: string,
    retryAfter?: string,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId;
    this.retryAfter = retryAfter;
  }
}

export function isErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/** Turns a non-success response into an ApiError, whatever its body looked like. */
export function toApiError(
  status: number,
  body: unknown,
  requestIdHeader?: string | null,
  retryAfterHeader?: string | null,
): ApiError {
  const retryAfter = retryAfterHeader ?? undefined;
  if (isErrorBody(body)) {
    const { code, message, details, request_id } = body.error;
    return new ApiError(status, code, message, details ?? [], request_id ?? requestIdHeader ?? undefined, retryAfter);
  }
  // A proxy or a crashed process can answer without the envelope.
  const message =
    status >= 200 && status < 300
      ? 'The server sent an unexpected response.'
      : `Request failed with status ${status}.`;
  return new ApiError(status, 'unexpected_response', message, [], requestIdHeader ?? undefined, retryAfter);
}

export function readCookie(cookies: string, name: string): string | undefined {
  for (const part of cookies.split(';')) {
    const separator = part.indexOf('=');
    if (separator === -1) continue;
    if (part.slice(0, separator).trim() === name) {
      const value = part.slice(separator + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    }
  }
  return undefined;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  /** Non-2xx statuses whose body is still the expected payload (e.g. 503 from /api/health). */
  okStatuses?: readonly number[];
  /** Acts on this space instead of the session's active one (the gateway checks membership). */
  spaceId?: string;
}

export interface ClientDeps {
  fetch?: typeof fetch;
  /** Source of the document's cookies; injected so tests need no DOM. */
  cookies?: () => string;
}

export type ApiClient = <T>(path: string, options?: RequestOptions) => Promise<T>;

export function createClient(deps: ClientDeps = {}): ApiClient {
  const doFetch = deps.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const cookies = deps.cookies ?? (() => (typeof document === 'undefined' ? '' : document.cookie));

  return async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const method = (options.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = { Accept: 'application/json' };
    const isForm = typeof FormData !== 'undefined' && options.body instanceof FormData;
    // A multipart body sets its own Content-Type (with the boundary).
    if (options.body !== undefined && !isForm) headers['Content-Type'] = 'application/json';
    if (options.spaceId) headers[SPACE_HEADER] = options.spaceId;
    if (MUTATING_METHODS.has(method)) {
      const jar = cookies();
      const token = CSRF_COOKIES.map((name) => readCookie(jar, name)).find((value) => value !== undefined);
      if (token) headers[CSRF_HEADER] = token;
    }

    let response: Response;
    try {
      response = await doFetch(path, {
        method,
        headers,
        body: options.body === undefined ? undefined : isForm ? (options.body as FormData) : JSON.stringify(options.body),
        credentials: 'same-origin',
        signal: options.signal,
      });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      throw new ApiError(0, 'network_error', 'The server could not be reached.');
    }

    const body = await readBody(response);
    const accepted = response.ok || (options.okStatuses?.includes(response.status) && !isErrorBody(body));
    if (!accepted) {
      throw toApiError(response.status, body, response.headers.get('X-Request-Id'), response.headers.get('Retry-After'));
    }
    if (body === NOT_JSON) {
      // e.g. an HTML page from a misrouted request: never hand it to the caller as data.
      throw toApiError(response.status, undefined, response.headers.get('X-Request-Id'));
    }
    return body as T;
  };
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

export const apiRequest = createClient();

export function getHealth(request: ApiClient = apiRequest, signal?: AbortSignal): Promise<Health> {
  return request<Health>('/api/health', { signal, okStatuses: [503] });
}
