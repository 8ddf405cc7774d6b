import { describe, expect, it } from 'vitest';
import type { SsoProvider } from '../api/types';
import { emptyDraft, fromDraft, toDraft } from './ssoForm';

const saved: SsoProvider = {
  id: 'authelia',
  name: 'Authelia',
  issuer: 'https://auth.example.org',
  client_id: 'shelfspace',
  secret_set: true,
  redirect_uri: 'https://shelf.example.org/api/auth/sso/authelia/callback',
  scopes: 'openid email profile groups',
  email_claim: 'email',
  name_claim: 'name',
  groups_claim: 'groups',
  allowed_email_domains: ['example.org'],
  allowed_groups: ['family'],
  group_roles: { admins: 'admin' },
  auto_create: true,
};

describe('SSO settings form', () => {
  it('round-trips a saved provider and keeps its secret when none is typed', () => {
    const result = fromDraft(toDraft(saved));

    expect(result).toEqual({
      provider: {
        id: 'authelia',
        name: 'Authelia',
        issuer: 'https://auth.example.org',
        client_id: 'shelfspace',
        scopes: 'openid email profile groups',
        email_claim: 'email',
        name_claim: 'name',
        groups_claim: 'groups',
        allowed_email_domains: ['example.org'],
        allowed_groups: ['family'],
        group_roles: { admins: 'admin' },
        auto_create: true,
      },
    });
  });

  it('sends a new secret, and reads lists one per line or comma-separated', () => {
    const draft = { ...toDraft(saved), client_secret: 's3cret', allowed_email_domains: 'Example.org, example.net\n', group_roles: 'a = admin\nb=user' };
    const result = fromDraft(draft);

    expect(result).toMatchObject({
      provider: { client_secret: 's3cret', allowed_email_domains: ['example.org', 'example.net'], group_roles: { a: 'admin', b: 'user' } },
    });
  });

  it('names the field of the first problem', () => {
    const base = { ...emptyDraft(), id: 'kc', name: 'Keycloak', issuer: 'https://kc.example.org/realms/home', client_id: 'c' };

    expect(fromDraft({ ...base, id: 'Key Cloak' })).toEqual({ problem: expect.stringContaining('ID') });
    expect(fromDraft(base)).toEqual({ problem: 'Client secret is required.' });
    expect(fromDraft({ ...base, client_secret: 'x', issuer: 'kc.example.org' })).toEqual({ problem: expect.stringContaining('Issuer') });
    expect(fromDraft({ ...base, client_secret: 'x', group_roles: 'admins = owner' })).toEqual({ problem: expect.stringContaining('Group roles') });
  });
});
