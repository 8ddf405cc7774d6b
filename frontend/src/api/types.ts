/** Shapes of the public API (see shared/design/API.md), as the web app reads them. */

export type HealthStatus = 'ok' | 'degraded' | 'down';

export interface ServiceHealth {
  status: HealthStatus;
  version: string | null;
}

/** GET /api/health: HTTP 200 when ok or degraded, 503 when down (same body). */
export interface Health {
  status: HealthStatus;
  version: string;
  git_sha: string;
  build_date: string;
  services: Record<string, ServiceHealth>;
}

/** The one error envelope every service answers with. */
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    details?: unknown[];
    request_id?: string;
  };
}
