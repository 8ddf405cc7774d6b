import { apiRequest, type ApiClient } from './client';
import { seg, withQuery } from './shape';
import type {
  CollectzImportRequest,
  ExportFormat,
  ImportPreset,
  ImportPreview,
  ImportPreviewRow,
  ImportProblem,
  Page,
  SyncJob,
} from './types';

export interface FileImportOptions {
  file: Blob;
  /** Without one the server detects the format from the file. */
  preset?: ImportPreset | null;
  /** Column → field; sent only when the user changed the suggested mapping. */
  mapping?: Record<string, string | null> | null;
  dryRun?: boolean;
  /** Look up the TMDB ids of rows that have none (only offered when TMDB is set up). */
  enrich?: boolean;
}

function fileForm({ file, preset, mapping, dryRun, enrich }: FileImportOptions): FormData {
  const form = new FormData();
  form.append('file', file, file instanceof File ? file.name : 'import');
  if (preset) form.append('preset', preset);
  if (mapping) form.append('mapping', JSON.stringify(mapping));
  if (dryRun) form.append('dry_run', 'true');
  if (enrich) form.append('enrich', 'true');
  return form;
}

/** The job of a 202 `{job}` answer (or a bare job). */
function jobOf(body: { job?: SyncJob } & Partial<SyncJob>): SyncJob {
  return (body.job ?? body) as SyncJob;
}

/** How the server reads the file; with a `mapping`, the first rows as that mapping reads them. */
export async function previewFileImport(
  options: Omit<FileImportOptions, 'dryRun' | 'enrich'>,
  request: ApiClient = apiRequest,
  signal?: AbortSignal,
): Promise<ImportPreview> {
  const body = await request<unknown>('/api/imports/file/preview', { method: 'POST', body: fileForm(options), signal });
  return normalizePreview(body);
}

export async function startFileImport(options: FileImportOptions, request: ApiClient = apiRequest): Promise<SyncJob> {
  return jobOf(await request('/api/imports/file', { method: 'POST', body: fileForm(options) }));
}

export async function startCollectzImport(body: CollectzImportRequest, request: ApiClient = apiRequest): Promise<SyncJob> {
  return jobOf(await request('/api/admin/imports/collectz', { method: 'POST', body }));
}

/** A collectZ move runs in the instance's scope, not a space's: its admins follow it here. */
export async function getCollectzImport(id: string, request: ApiClient = apiRequest, signal?: AbortSignal): Promise<SyncJob> {
  return jobOf(await request(`/api/admin/imports/collectz/${seg(id)}`, { signal }));
}

/** The instance's past collectZ moves, newest first. */
export function listCollectzImports(cursor: string | null, request: ApiClient = apiRequest, signal?: AbortSignal): Promise<Page<SyncJob>> {
  return request(withQuery('/api/admin/imports/collectz', { limit: 20, cursor: cursor ?? undefined }), { signal });
}

/** A queued move is cancelled now; a running one stops before its next batch. */
export async function cancelCollectzImport(id: string, request: ApiClient = apiRequest): Promise<SyncJob> {
  return jobOf(await request(`/api/admin/imports/collectz/${seg(id)}/cancel`, { method: 'POST' }));
}

/** A plain link downloads the export: the session cookie authenticates GETs. */
export function exportUrl(spaceId: string, format: ExportFormat): string {
  return withQuery(`/api/spaces/${seg(spaceId)}/export`, { format });
}

/** The preview as the web app reads it, whatever optional parts the server left out. */
export function normalizePreview(body: unknown): ImportPreview {
  const raw = record(body);
  const columns = Array.isArray(raw.columns) ? raw.columns.map(columnName).filter((name) => name !== '') : [];
  const given = record(raw.mapping);
  const mapping: Record<string, string | null> = {};
  for (const column of columns) {
    const field = given[column];
    mapping[column] = typeof field === 'string' && field !== '' ? field : null;
  }
  return {
    preset: (typeof raw.preset === 'string' ? raw.preset : 'csv') as ImportPreset,
    columns,
    mapping,
    rows: Array.isArray(raw.rows) ? raw.rows.filter(isRecord).map(toRow) : [],
    problems: Array.isArray(raw.problems) ? raw.problems.map(toProblem) : [],
    total_rows: typeof raw.total_rows === 'number' ? raw.total_rows : null,
    encoding: text(raw.encoding),
    delimiter: text(raw.delimiter),
    tmdb_configured: raw.tmdb_configured === true,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function columnName(column: unknown): string {
  if (typeof column === 'string') return column;
  return text(record(column).name) ?? '';
}

/** A row `{row, fields, outcome, reason}`, or a bare record of fields. */
function toRow(row: Record<string, unknown>): ImportPreviewRow {
  if (!isRecord(row.fields)) return { row: null, fields: row, outcome: 'ok', reason: null };
  const outcome = row.outcome === 'skipped' || row.outcome === 'failed' ? row.outcome : 'ok';
  return { row: typeof row.row === 'number' ? row.row : null, fields: row.fields, outcome, reason: text(row.reason) };
}

function toProblem(problem: unknown): ImportProblem {
  if (typeof problem === 'string') return { code: null, row: null, column: null, message: problem };
  const p = record(problem);
  return {
    code: text(p.code),
    row: typeof p.row === 'number' ? p.row : null,
    column: text(p.column),
    message: text(p.message) ?? text(p.reason) ?? 'This part of the file cannot be read.',
  };
}
