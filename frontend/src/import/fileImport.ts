import { ApiError } from '../api/client';
import type { ImportPreset, ImportPreview, ImportPreviewRow, ImportProblem } from '../api/types';

/** The formats people bring, in the order the picker offers them. */
export const PRESETS: ReadonlyArray<readonly [ImportPreset, string]> = [
  ['csv', 'Spreadsheet (CSV)'],
  ['shelfspace_json', 'Shelfspace export (JSON)'],
  ['clz_movies', 'CLZ Movies (CSV)'],
  ['letterboxd', 'Letterboxd (watched, diary, ratings, watchlist)'],
  ['imdb', 'IMDb list or ratings (CSV)'],
  ['trakt', 'Trakt export'],
  ['collectz_csv', 'collectZ export (CSV)'],
];

export function presetLabel(preset: string): string {
  return PRESETS.find(([key]) => key === preset)?.[1] ?? preset;
}

/** What a column can fill in (the sync service's import fields). */
export const IMPORT_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['title', 'Title'],
  ['original_title', 'Original title'],
  ['year', 'Year'],
  ['media_type', 'Type (movie, TV series, other)'],
  ['tmdb_id', 'TMDB id'],
  ['imdb_id', 'IMDb id'],
  ['tvdb_id', 'TheTVDB id'],
  ['runtime_minutes', 'Runtime (minutes)'],
  ['overview', 'Overview'],
  ['genres', 'Genres'],
  ['directors', 'Directors'],
  ['cast', 'Cast'],
  ['poster_url', 'Poster URL'],
  ['rating', 'Rating (0–10)'],
  ['format', 'Copy: format'],
  ['edition', 'Copy: edition'],
  ['barcode', 'Copy: barcode'],
  ['location', 'Copy: location'],
  ['resolution', 'Copy: resolution'],
  ['collection_status', 'Collection status'],
];

/** The choices for a column: the known fields, plus any the server suggested that this list lacks. */
export function fieldChoices(preview: Pick<ImportPreview, 'mapping'>): Array<readonly [string, string]> {
  const known = new Set(IMPORT_FIELDS.map(([field]) => field));
  const extra = [...new Set(Object.values(preview.mapping))]
    .filter((field): field is string => !!field && !known.has(field))
    .map((field) => [field, field.replace(/_/g, ' ')] as const);
  return [...IMPORT_FIELDS, ...extra];
}

/** The mapping to send: only when the user changed what the server suggested (else the server's own). */
export function mappingToSend(
  suggested: Record<string, string | null>,
  chosen: Record<string, string | null>,
): Record<string, string | null> | null {
  const columns = new Set([...Object.keys(suggested), ...Object.keys(chosen)]);
  for (const column of columns) {
    if ((suggested[column] ?? null) !== (chosen[column] ?? null)) return chosen;
  }
  return null;
}

/** Fields more than one column fills, so the user can see which column would win. */
export function doublyMapped(mapping: Record<string, string | null>): string[] {
  const seen = new Map<string, number>();
  for (const field of Object.values(mapping)) if (field) seen.set(field, (seen.get(field) ?? 0) + 1);
  return [...seen].filter(([, count]) => count > 1).map(([field]) => field);
}

/** The fields the preview table shows: the mapped ones in column order, then any other a row has. */
export function previewFields(preview: Pick<ImportPreview, 'mapping' | 'rows'>): string[] {
  const mapped = Object.values(preview.mapping).filter((field): field is string => !!field);
  return [...new Set([...mapped, ...preview.rows.flatMap((row) => Object.keys(row.fields))])];
}

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(cellText).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** What the import would make of a preview row. */
export function outcomeText(row: Pick<ImportPreviewRow, 'outcome' | 'reason'>): string {
  if (row.outcome === 'ok') return 'Imported';
  const verb = row.outcome === 'skipped' ? 'Skipped' : 'Fails';
  return row.reason ? `${verb}: ${row.reason}` : verb;
}

export function problemText(problem: ImportProblem): string {
  const where = [problem.row !== null ? `Row ${problem.row}` : '', problem.column ? `column “${problem.column}”` : '']
    .filter(Boolean)
    .join(', ');
  return where ? `${where}: ${problem.message}` : problem.message;
}

/** The server's own reason for refusing a whole file (too large, unreadable), or null for other errors. */
export function fileRefusal(error: unknown): string | null {
  if (!(error instanceof ApiError) || (error.status !== 413 && error.status !== 422)) return null;
  const details = error.details
    .map((detail) =>
      detail && typeof detail === 'object' ? ((detail as { message?: unknown; msg?: unknown }).message ?? (detail as { msg?: unknown }).msg) : detail,
    )
    .filter((text): text is string => typeof text === 'string' && text !== error.message);
  return [error.message, ...details].join(' ');
}

export function delimiterName(delimiter: string): string {
  const names: Record<string, string> = { ',': 'commas', ';': 'semicolons', '\t': 'tabs', '|': 'bars' };
  return names[delimiter] ?? `“${delimiter}”`;
}

export function fileSizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** What the file picker offers; the server decides what it can read. */
export const ACCEPTED_FILES = '.csv,.tsv,.txt,.json,text/csv,text/tab-separated-values,text/plain,application/json';
