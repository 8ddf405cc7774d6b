import { apiRequest, type ApiClient } from './client';
import { seg, withQuery } from './shape';
import type {
  CollectzImportRequest,
  ExportFormat,
  ImportPreset,
  ImportPreview,
  ImportProblem,
  SyncJob,
} from './types';

export interface FileImportOptions {
  file: Blob;
  /** Without one the server detects the format from the file. */
  preset?: ImportPreset | null;
  /** Column → field; sent only when the user changed the suggested mapping. */
  mapping?: Record<string, string | null> | null;
  dryRun?: boolean;
}

function fileForm({ file, preset, mapping, dryRun }: FileImportOptions): FormData {
  const form = new FormData();
  form.append('file', file, file instanceof File ? file.name : 'import');
  if (preset) form.append('preset', preset);
  if (mapping) form.append('mapping', JSON.stringify(mapping));
  if (dryRun) form.append('dry_run', 'true');
  return form;
}

/** The job of a 202 `{job}` answer (or a bare job). */
function jobOf(body: { job?: SyncJob } & Partial<SyncJob>): SyncJob {
  return (body.job ?? body) as SyncJob;
}

export async function previewFileImport(
  file: Blob,
  preset: ImportPreset | null,
  request: ApiClient = apiRequest,
  signal?: AbortSignal,
): Promise<ImportPreview> {
  const body = await request<unknown>('/api/imports/file/preview', {
    method: 'POST',
    body: fileForm({ file, preset }),
    signal,
  });
  return normalizePreview(body);
}

export async function startFileImport(options: FileImportOptions, request: ApiClient = apiRequest): Promise<SyncJob> {
  return jobOf(await request('/api/imports/file', { method: 'POST', body: fileForm(options) }));
}

export async function startCollectzImport(body: CollectzImportRequest, request: ApiClient = apiRequest): Promise<SyncJob> {
  return jobOf(await request('/api/admin/imports/collectz', { method: 'POST', body }));
}

/** A plain link downloads the export: the session cookie authenticates GETs. */
export function exportUrl(spaceId: string, format: ExportFormat): string {
  return withQuery(`/api/spaces/${seg(spaceId)}/export`, { format });
}

/** The preview as the web app reads it, whatever optional parts the server left out. */
export function normalizePreview(body: unknown): ImportPreview {
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const columns = Array.isArray(raw.columns) ? raw.columns.map(columnName).filter((name) => name !== '') : [];
  const given = raw.mapping && typeof raw.mapping === 'object' ? (raw.mapping as Record<string, unknown>) : {};
  const mapping: Record<string, string | null> = {};
  for (const column of columns) {
    const field = given[column];
    mapping[column] = typeof field === 'string' && field !== '' ? field : null;
  }
  const rows = Array.isArray(raw.rows)
    ? raw.rows.filter((row): row is Record<string, unknown> => !!row && typeof row === 'object' && !Array.isArray(row))
    : [];
  const problems = Array.isArray(raw.problems) ? raw.problems.map(toProblem) : [];
  return { preset: (typeof raw.preset === 'string' ? raw.preset : 'csv') as ImportPreset, columns, mapping, rows, problems };
}

function columnName(column: unknown): string {
  if (typeof column === 'string') return column;
  if (column && typeof column === 'object' && typeof (column as { name?: unknown }).name === 'string') {
    return (column as { name: string }).name;
  }
  return '';
}

function toProblem(problem: unknown): ImportProblem {
  if (typeof problem === 'string') return { row: null, column: null, message: problem };
  const p = (problem && typeof problem === 'object' ? problem : {}) as Record<string, unknown>;
  const text = [p.message, p.reason, p.detail].find((value) => typeof value === 'string');
  return {
    row: typeof p.row === 'number' ? p.row : null,
    column: typeof p.column === 'string' ? p.column : null,
    message: typeof text === 'string' ? text : 'This part of the file cannot be read.',
  };
}
