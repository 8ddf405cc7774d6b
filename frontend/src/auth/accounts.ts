import type { AuthConfig, SpaceRole, TwoFactorChallenge, User } from '../api/types';
import { atLeast } from '../app/roles';

/** Used until the server says otherwise (its own rule always decides). */
export const DEFAULT_MIN_PASSWORD = 10;

export function passwordMinimum(config: AuthConfig | null | undefined): number {
  return config?.password_min_length ?? DEFAULT_MIN_PASSWORD;
}

/** The server's password rules in words, for the hint under every new-password field. */
export function passwordRules(config: AuthConfig | null | undefined): string {
  const rules = [`At least ${passwordMinimum(config)} characters`];
  if (config?.password_rejects_common ?? true) rules.push('not one of the most common passwords');
  return `${rules.join(', ')}. A few unrelated words make a strong, memorable passphrase.`;
}

/** The reset token of a `/reset-password?token=…` link. */
export function resetTokenFrom(search: string): string {
  return new URLSearchParams(search).get('token')?.trim() ?? '';
}

const ROLES_LOW_TO_HIGH: SpaceRole[] = ['viewer', 'member', 'admin', 'owner'];

/** The roles a token may have in a space: none above the user's own. */
export function tokenRoles(mine: SpaceRole): SpaceRole[] {
  return ROLES_LOW_TO_HIGH.filter((role) => atLeast(mine, role));
}

export const EXPIRY_CHOICES = [
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 365, label: '1 year' },
  { days: 0, label: 'Never' },
] as const;

/** The `expires_at` to send for a choice of days (0: the token never expires). */
export function expiryFrom(days: number, now: Date): string | undefined {
  return days > 0 ? new Date(now.getTime() + days * 24 * 3600 * 1000).toISOString() : undefined;
}

/** What the server's error code for a reset link means to the person holding it. */
export function resetLinkProblem(code: string | undefined): string | null {
  switch (code) {
    case 'reset_link_used':
      return 'This link was already used. Ask for a new one.';
    case 'reset_link_revoked':
      return 'A newer link replaced this one: use the latest link you received.';
    case 'reset_link_expired':
      return 'This link has expired. Ask for a new one.';
    case 'reset_link_not_found':
      return 'This link is not valid. Check that you copied all of it, or ask for a new one.';
    default:
      return null;
  }
}

/** Whether a login answer asks for the second factor instead of giving a session. */
export function needsSecondFactor(answer: { user: User } | TwoFactorChallenge | undefined): answer is TwoFactorChallenge {
  return !!answer && 'two_factor_required' in answer && answer.two_factor_required === true;
}

/** The server's QR code (SVG it drew itself) as an image source: an <img> never runs anything in it. */
export function qrImageSource(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** The secret of an otpauth:// URI, grouped by four for typing it into an app by hand. */
export function manualEntryKey(otpauthUri: string): string {
  const secret = new URL(otpauthUri).searchParams.get('secret') ?? '';
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

/** A typed authentication code: digits only (apps show "123 456"). */
export function cleanCode(typed: string): string {
  return typed.replace(/\D/g, '');
}
