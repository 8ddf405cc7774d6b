import { describe, expect, it, vi } from 'vitest';
import { ApiError, createClient } from './client';
import {
  cancelCollectzImport,
  exportUrl,
  getCollectzImport,
  normalizePreview,
  previewFileImport,
  startCollectzImport,
  startFileImport,
} from './imports';
import { jobErrorsCsvUrl } from './sync';

function answering(status: number, body: unknown) {
  const fetch = vi.fn<typeof globalThis.fetch>(() =>
    Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })),
  );
  return { request: createClient({ fetch, cookies: () => 'csrf_token=tok' }), fetch };
}

function sent(fetch: ReturnType<typeof answering>['fetch']) {
  const [path, init] = fetch.mock.calls[0] ?? [];
  return { path, init: init ?? {}, headers: (init?.headers ?? {}) as Record<string, string> };
}

const csv = () => new File(['Title,Year\nHeat,1995\n'], 'films.csv', { type: 'text/csv' });
const job = { id: 'j1', provider: 'file', kind: 'import', status: 'queued', progress: null, summary: null, error: null };

describe('previewFileImport', () => {
  it('uploads the file and the chosen preset as multipart, with the CSRF token', async () => {
    const { request, fetch } = answering(200, { preset: 'csv', columns: ['Title', 'Year'], mapping: { Title: 'title', Year: 'year' }, rows: [], problems: [] });

    await previewFileImport({ file: csv(), preset: 'letterboxd' }, request);

    const { path, init, headers } = sent(fetch);
    expect(path).toBe('/api/imports/file/preview');
    expect(init.method).toBe('POST');
    expect(headers['X-CSRF-Token']).toBe('tok');
    expect(headers['Content-Type']).toBeUndefined(); // the browser sets the multipart boundary
    const form = init.body as FormData;
    expect((form.get('file') as File).name).toBe('films.csv');
    expect(await (form.get('file') as File).text()).toBe('Title,Year\nHeat,1995\n');
    expect(form.get('preset')).toBe('letterboxd');
  });

  it('leaves the preset out so the server detects the format', async () => {
    const { request, fetch } = answering(200, { preset: 'imdb', columns: [], mapping: {}, rows: [], problems: [] });

    const preview = await previewFileImport({ file: csv(), preset: null }, request);

    expect((sent(fetch).init.body as FormData).has('preset')).toBe(false);
    expect(preview.preset).toBe('imdb');
  });

  it('asks again with the user’s mapping, so the rows show what it reads', async () => {
    const { request, fetch } = answering(200, { preset: 'csv', columns: [], mapping: {}, rows: [], problems: [] });

    await previewFileImport({ file: csv(), preset: 'csv', mapping: { Name: 'title', Shelf: null } }, request);

    expect(JSON.parse((sent(fetch).init.body as FormData).get('mapping') as string)).toEqual({ Name: 'title', Shelf: null });
  });

  it('reads the columns, the suggested mapping, the first rows with their outcome, and the problems', async () => {
    const { request } = answering(200, {
      preset: 'csv',
      encoding: 'windows-1252',
      delimiter: ';',
      columns: ['Name', 'Released', 'Shelf'],
      mapping: { Name: 'title', Released: 'year' },
      rows: [
        { row: 2, fields: { title: 'Heat', year: '1995' }, outcome: 'ok', reason: null },
        { row: 3, fields: {}, outcome: 'failed', reason: 'the row has no title' },
      ],
      total_rows: 2,
      problems: [{ code: 'duplicate_header', message: 'Two columns are named Name.', column: 'Name' }, 'Odd file.'],
      tmdb_configured: true,
    });

    const preview = await previewFileImport({ file: csv(), preset: 'csv' }, request);

    expect(preview).toEqual({
      preset: 'csv',
      encoding: 'windows-1252',
      delimiter: ';',
      columns: ['Name', 'Released', 'Shelf'],
      mapping: { Name: 'title', Released: 'year', Shelf: null },
      rows: [
        { row: 2, fields: { title: 'Heat', year: '1995' }, outcome: 'ok', reason: null },
        { row: 3, fields: {}, outcome: 'failed', reason: 'the row has no title' },
      ],
      total_rows: 2,
      problems: [
        { code: 'duplicate_header', row: null, column: 'Name', message: 'Two columns are named Name.' },
        { code: null, row: null, column: null, message: 'Odd file.' },
      ],
      tmdb_configured: true,
    });
  });

  it('passes on the server’s refusal of a file, with its own message', async () => {
    const { request } = answering(413, { error: { code: 'payload_too_large', message: 'The file is larger than 50 MB.' } });

    const error = await previewFileImport({ file: csv() }, request).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 413, message: 'The file is larger than 50 MB.' });
  });
});

describe('normalizePreview', () => {
  const empty = { preset: 'csv', columns: [], mapping: {}, rows: [], problems: [], total_rows: null, encoding: null, delimiter: null, tmdb_configured: false };

  it('accepts columns given as objects and rows given as bare records of fields', () => {
    const preview = normalizePreview({ columns: [{ name: 'Title' }, 7], mapping: { Title: '' }, rows: [null, ['x'], { title: 'Up' }] });

    expect(preview).toEqual({
      ...empty,
      columns: ['Title'],
      mapping: { Title: null },
      rows: [{ row: null, fields: { title: 'Up' }, outcome: 'ok', reason: null }],
    });
  });

  it('says TMDB is set up only when the server says so', () => {
    expect(normalizePreview({ tmdb_configured: true }).tmdb_configured).toBe(true);
    expect(normalizePreview({ tmdb_configured: 'yes' }).tmdb_configured).toBe(false);
  });

  it('gives an empty preview for an answer of another shape instead of failing', () => {
    expect(normalizePreview(null)).toEqual(empty);
  });
});

describe('startFileImport', () => {
  it('sends the mapping as JSON and asks for a dry run, answering with the job', async () => {
    const { request, fetch } = answering(202, { job });

    const started = await startFileImport(
      { file: csv(), preset: 'csv', mapping: { Name: 'title', Shelf: null }, dryRun: true },
      request,
    );

    const { path, init } = sent(fetch);
    expect(path).toBe('/api/imports/file');
    const form = init.body as FormData;
    expect(form.get('preset')).toBe('csv');
    expect(JSON.parse(form.get('mapping') as string)).toEqual({ Name: 'title', Shelf: null });
    expect(form.get('dry_run')).toBe('true');
    expect(form.has('enrich')).toBe(false);
    expect(started).toEqual(job);
  });

  it('asks for TMDB look-ups of rows without ids when told to', async () => {
    const { request, fetch } = answering(202, { job });

    await startFileImport({ file: csv(), preset: 'csv', enrich: true }, request);

    expect((sent(fetch).init.body as FormData).get('enrich')).toBe('true');
  });

  it('leaves the mapping and dry run out of a plain import', async () => {
    const { request, fetch } = answering(202, { job });

    await startFileImport({ file: csv(), preset: 'clz_movies' }, request);

    const form = sent(fetch).init.body as FormData;
    expect([form.has('mapping'), form.has('dry_run')]).toEqual([false, false]);
  });
});

describe('startCollectzImport', () => {
  it('posts the connection details as JSON and answers with the job', async () => {
    const { request, fetch } = answering(202, { job: { ...job, provider: 'collectz' } });

    const started = await startCollectzImport({ database_url: 'postgresql://r:p@db/collectz', dry_run: true }, request);

    const { path, init } = sent(fetch);
    expect(path).toBe('/api/admin/imports/collectz');
    expect(JSON.parse(init.body as string)).toEqual({ database_url: 'postgresql://r:p@db/collectz', dry_run: true });
    expect(started.provider).toBe('collectz');
  });
});

describe('getCollectzImport', () => {
  it('reads the move from the admin endpoint, since it belongs to no space', async () => {
    const { request, fetch } = answering(200, { job: { ...job, provider: 'collectz', report: { generation: '3.x' } } });

    const read = await getCollectzImport('j1', request);

    expect(sent(fetch).path).toBe('/api/admin/imports/collectz/j1');
    expect(read.report).toEqual({ generation: '3.x' });
  });
});

describe('cancelCollectzImport', () => {
  it('asks the admin endpoint to cancel the move, with the CSRF token', async () => {
    const { request, fetch } = answering(200, { job: { ...job, provider: 'collectz', status: 'cancelled' } });

    const cancelled = await cancelCollectzImport('j1', request);

    const { path, init, headers } = sent(fetch);
    expect([path, init.method, headers['X-CSRF-Token']]).toEqual(['/api/admin/imports/collectz/j1/cancel', 'POST', 'tok']);
    expect(cancelled.status).toBe('cancelled');
  });
});

describe('download links', () => {
  it('exports a space in the chosen format', () => {
    expect(exportUrl('s 1', 'csv')).toBe('/api/spaces/s%201/export?format=csv');
    expect(exportUrl('s1', 'json')).toBe('/api/spaces/s1/export?format=json');
  });

  it('downloads a job’s rows that were not imported', () => {
    expect(jobErrorsCsvUrl('j/1')).toBe('/api/sync-jobs/j%2F1/errors.csv');
  });
});
