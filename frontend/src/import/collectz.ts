import type { CollectzImportRequest } from '../api/types';

/** The collectZ form as typed; held in memory only, never in local or session storage. */
export interface CollectzDraft {
  databaseUrl: string;
  encryptionKey: string;
  /** Empty: collectZ's libraries become spaces of their own. */
  spaceId: string;
}

export const EMPTY_DRAFT: CollectzDraft = { databaseUrl: '', encryptionKey: '', spaceId: '' };

export function collectzRequest(draft: CollectzDraft, dryRun: boolean): CollectzImportRequest {
  const body: CollectzImportRequest = { database_url: draft.databaseUrl.trim(), dry_run: dryRun };
  const key = draft.encryptionKey.trim();
  if (key) body.collectz_encryption_key = key;
  if (draft.spaceId) body.space_id = draft.spaceId;
  return body;
}

/** A URL collectZ's database could have: postgres(ql)://…; the server checks it for real. */
export function looksLikeDatabaseUrl(value: string): boolean {
  return /^postgres(?:ql)?(?:\+\w+)?:\/\/\S+$/i.test(value.trim());
}

/** The URL with its password hidden, for showing which database a report is about. */
export function redactedUrl(value: string): string {
  return value.trim().replace(/^([a-z0-9+]+:\/\/[^:/@\s]+):[^@\s]*@/i, '$1:•••@');
}

/** The import is offered once a dry run finished for exactly these inputs. */
export function sameInputs(a: CollectzDraft | null, b: CollectzDraft): boolean {
  return !!a && a.databaseUrl.trim() === b.databaseUrl.trim() && a.encryptionKey.trim() === b.encryptionKey.trim() && a.spaceId === b.spaceId;
}
