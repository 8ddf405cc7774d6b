import type { GlobalRole, SsoProvider, SsoProviderInput } from '../api/types';

/** A provider as the settings form edits it: lists as text, one entry per line (or comma-separated). */
export interface SsoDraft {
  id: string;
  name: string;
  issuer: string;
  client_id: string;
  /** Empty: keep the saved secret. */
  client_secret: string;
  secret_set: boolean;
  redirect_uri: string;
  scopes: string;
  email_claim: string;
  name_claim: string;
  groups_claim: string;
  allowed_email_domains: string;
  allowed_groups: string;
  /** `group = role` per line, role `admin` or `user`. */
  group_roles: string;
  auto_create: boolean;
}

export function emptyDraft(): SsoDraft {
  return {
    id: '',
    name: '',
    issuer: '',
    client_id: '',
    client_secret: '',
    secret_set: false,
    redirect_uri: '',
    scopes: 'openid email profile',
    email_claim: 'email',
    name_claim: 'name',
    groups_claim: 'groups',
    allowed_email_domains: '',
    allowed_groups: '',
    group_roles: '',
    auto_create: false,
  };
}

export function toDraft(provider: SsoProvider): SsoDraft {
  return {
    ...provider,
    client_secret: '',
    secret_set: provider.secret_set ?? false,
    redirect_uri: provider.redirect_uri ?? '',
    allowed_email_domains: provider.allowed_email_domains.join('\n'),
    allowed_groups: provider.allowed_groups.join('\n'),
    group_roles: Object.entries(provider.group_roles)
      .map(([group, role]) => `${group} = ${role}`)
      .join('\n'),
  };
}

function entries(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** The provider to save, or the first problem to show (naming the field). */
export function fromDraft(draft: SsoDraft): { provider: SsoProviderInput } | { problem: string } {
  const id = draft.id.trim();
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(id)) return { problem: 'ID: lowercase letters, digits and dashes (e.g. "authelia").' };
  if (!draft.name.trim()) return { problem: 'Name: shown on the sign-in button, e.g. "Authelia".' };
  if (!/^https?:\/\/\S+$/.test(draft.issuer.trim())) return { problem: 'Issuer: the provider address, starting with https://.' };
  if (!draft.client_id.trim()) return { problem: 'Client ID is required.' };
  if (!draft.secret_set && !draft.client_secret) return { problem: 'Client secret is required.' };
  const roles: Record<string, GlobalRole> = {};
  for (const line of entries(draft.group_roles)) {
    const [group, role] = line.split('=').map((part) => part.trim());
    if (!group || (role !== 'admin' && role !== 'user')) return { problem: `Group roles: "${line}" is not "group = admin" or "group = user".` };
    roles[group] = role;
  }
  return {
    provider: {
      id,
      name: draft.name.trim(),
      issuer: draft.issuer.trim(),
      client_id: draft.client_id.trim(),
      ...(draft.client_secret ? { client_secret: draft.client_secret } : {}),
      scopes: draft.scopes.trim() || 'openid email profile',
      email_claim: draft.email_claim.trim() || 'email',
      name_claim: draft.name_claim.trim() || 'name',
      groups_claim: draft.groups_claim.trim() || 'groups',
      allowed_email_domains: entries(draft.allowed_email_domains).map((domain) => domain.toLowerCase()),
      allowed_groups: entries(draft.allowed_groups),
      group_roles: roles,
      auto_create: draft.auto_create,
    },
  };
}
