import { describe, expect, it } from 'vitest';
import { absoluteUrl } from '../app/ShownOnce';
import {
  cleanCode,
  expiryFrom,
  manualEntryKey,
  needsSecondFactor,
  passwordMinimum,
  passwordRules,
  qrImageSource,
  resetLinkProblem,
  resetTokenFrom,
  tokenRoles,
} from './accounts';

describe('password reset', () => {
  it('reads the token from the link the server made', () => {
    expect(resetTokenFrom('?token=abc-_123')).toBe('abc-_123');
    expect(resetTokenFrom('?token=a%2Bb')).toBe('a+b');
    expect(resetTokenFrom('')).toBe('');
  });

  it('uses the server’s password minimum when it gives one', () => {
    expect(passwordMinimum({ first_run: false, registration: 'open', password_min_length: 14 })).toBe(14);
    expect(passwordMinimum(null)).toBe(10);
  });

  it('states the server’s password rules in the hint', () => {
    const config = { first_run: false, registration: 'open' as const, password_min_length: 14, password_rejects_common: true };
    expect(passwordRules(config)).toMatch(/^At least 14 characters, not one of the most common passwords\./);
    expect(passwordRules({ ...config, password_rejects_common: false })).not.toMatch(/common/);
    expect(passwordRules(null)).toMatch(/^At least 10 characters/);
  });

  it('explains every way a link can be unusable, and nothing else', () => {
    expect(resetLinkProblem('reset_link_used')).toMatch(/already used/);
    expect(resetLinkProblem('reset_link_revoked')).toMatch(/newer link/);
    expect(resetLinkProblem('reset_link_expired')).toMatch(/expired/);
    expect(resetLinkProblem('reset_link_not_found')).toMatch(/not valid/);
    expect(resetLinkProblem('validation_failed')).toBeNull();
  });

  it('makes a relative link absolute against this site', () => {
    expect(absoluteUrl('/reset-password?token=t', 'https://home.example')).toBe('https://home.example/reset-password?token=t');
    expect(absoluteUrl('https://x.example/reset-password?token=t', 'https://home.example')).toBe(
      'https://x.example/reset-password?token=t',
    );
  });
});

describe('API tokens', () => {
  it('offers no role above the user’s own', () => {
    expect(tokenRoles('viewer')).toEqual(['viewer']);
    expect(tokenRoles('member')).toEqual(['viewer', 'member']);
    expect(tokenRoles('owner')).toEqual(['viewer', 'member', 'admin', 'owner']);
  });

  it('turns an expiry choice into a date, or none for never', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(expiryFrom(30, now)).toBe('2026-01-31T00:00:00.000Z');
    expect(expiryFrom(0, now)).toBeUndefined();
  });
});

describe('two-factor sign-in', () => {
  const user = { id: 'u', email: 'a@b.c', name: 'A', role: 'user' as const };

  it('tells a challenge from a finished sign-in', () => {
    expect(needsSecondFactor({ two_factor_required: true, challenge_token: 't', expires_at: '2030-01-01T00:00:00Z' })).toBe(true);
    expect(needsSecondFactor({ user })).toBe(false);
    expect(needsSecondFactor(undefined)).toBe(false);
  });

  it('shows the server’s QR code as an image, never as markup', () => {
    const source = qrImageSource('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>');
    expect(source.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    expect(source).not.toContain('<');
  });

  it('offers the secret for typing by hand, in groups of four', () => {
    expect(manualEntryKey('otpauth://totp/Shelfspace:a%40b.c?secret=JBSWY3DPEHPK3PXP&issuer=Shelfspace')).toBe('JBSW Y3DP EHPK 3PXP');
  });

  it('keeps only the digits of a typed code', () => {
    expect(cleanCode(' 123 456 ')).toBe('123456');
  });
});
