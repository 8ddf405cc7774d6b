import { describe, expect, it } from 'vitest';
import { EMPTY_DRAFT, collectzRequest, looksLikeDatabaseUrl, redactedUrl, sameInputs } from './collectz';

const draft = { databaseUrl: ' postgresql://reader:s3cret@db:5432/collectz ', encryptionKey: '', spaceId: '' };

describe('the collectZ request', () => {
  it('sends only what was given: no empty key, no space unless one was chosen', () => {
    expect(collectzRequest(draft, true)).toEqual({ database_url: 'postgresql://reader:s3cret@db:5432/collectz', dry_run: true });
  });

  it('carries the key and the target space when given', () => {
    expect(collectzRequest({ ...draft, encryptionKey: ' k3y ', spaceId: 's1' }, false)).toEqual({
      database_url: 'postgresql://reader:s3cret@db:5432/collectz',
      dry_run: false,
      collectz_encryption_key: 'k3y',
      space_id: 's1',
    });
  });
});

describe('the database URL', () => {
  it('must look like a Postgres URL before anything is sent', () => {
    expect(looksLikeDatabaseUrl('postgresql://reader:pw@db/collectz')).toBe(true);
    expect(looksLikeDatabaseUrl('postgres://db/collectz')).toBe(true);
    expect(looksLikeDatabaseUrl('postgresql+asyncpg://db/collectz')).toBe(true);
    expect(looksLikeDatabaseUrl('mysql://db/collectz')).toBe(false);
    expect(looksLikeDatabaseUrl('')).toBe(false);
  });

  it('is shown with its password hidden', () => {
    expect(redactedUrl(draft.databaseUrl)).toBe('postgresql://reader:•••@db:5432/collectz');
    expect(redactedUrl('postgresql://db/collectz')).toBe('postgresql://db/collectz');
  });
});

describe('dry run first', () => {
  it('offers the import only for exactly the inputs a dry run checked', () => {
    expect(sameInputs(null, draft)).toBe(false);
    expect(sameInputs(draft, { ...draft, databaseUrl: draft.databaseUrl.trim() })).toBe(true);
    expect(sameInputs(draft, { ...draft, spaceId: 's2' })).toBe(false);
    expect(sameInputs(draft, { ...draft, encryptionKey: 'other' })).toBe(false);
    expect(sameInputs(draft, EMPTY_DRAFT)).toBe(false);
  });
});
