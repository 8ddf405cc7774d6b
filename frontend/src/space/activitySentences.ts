import type { ActivityRow } from '../api/types';
import { PROVIDER_INFO } from './providers';

/**
 * One sentence per activity row ("Alice added “Alien” (1979)"), and a label per kind of action for
 * the filters. Names come from the row (resolved when it was written); rows older than that, or whose
 * people were never known to the log, read "Someone".
 */

type Details = Record<string, unknown>;
type Sentence = (row: ActivityRow, d: Details, who: string) => string;

const SOMEONE = 'Someone';

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
}

function quoted(title: unknown, year?: unknown): string {
  const name = text(title) || 'a title';
  const withQuotes = text(title) ? `“${name}”` : name;
  return year ? `${withQuotes} (${text(year)})` : withQuotes;
}

function provider(value: unknown): string {
  const key = text(value);
  return (PROVIDER_INFO as Record<string, { label: string } | undefined>)[key]?.label ?? (key || 'provider');
}

function role(value: unknown): string {
  return text(value) || 'member';
}

/** The person an action is about, as the row names them; "themselves" when it is the actor. */
function subject(row: ActivityRow, d: Details, fallback = 'someone'): string {
  if (row.subject_name && row.subject_name === row.actor_name) return 'themselves';
  return row.subject_name || text(d.email) || fallback;
}

function isSelf(row: ActivityRow, d: Details): boolean {
  const about = text(d.user_id) || (row.entity_type === 'user' ? row.entity_id : null);
  return !!row.user_id && about === row.user_id;
}

function media(verb: string, after = ''): Sentence {
  return (_row, d, who) => `${who} ${verb} ${quoted(d.title, d.year)}${after}`;
}

function counts(summary: unknown): string {
  if (!summary || typeof summary !== 'object') return '';
  const parts = Object.entries(summary as Record<string, unknown>)
    .filter(([, n]) => typeof n === 'number' && n > 0)
    .map(([what, n]) => `${n} ${what}`);
  return parts.length ? `: ${parts.join(', ')}` : '';
}

function job(outcome: string): Sentence {
  return (_row, d, who) => {
    const what = `${provider(d.provider)} ${text(d.kind) || 'job'}`;
    if (outcome === 'queued') return `${who} started a ${what}`;
    if (outcome === 'failed') return `A ${what} failed${d.error ? `: ${text(d.error)}` : ''}`;
    return `A ${what} ${outcome}${outcome === 'finished' ? counts(d.summary) : ''}`;
  };
}

const SENTENCES: Record<string, Sentence> = {
  'identity.user.registered': (row, d, who) => `${row.subject_name || who} created an account${d.via === 'invite' ? ' with an invitation' : ''}`,
  'identity.user.logged_in': (_row, _d, who) => `${who} signed in`,
  'identity.user.login_failed': (_row, d) =>
    `A sign-in as ${text(d.email) || 'someone'} was refused${d.reason === 'disabled' ? ' (account disabled)' : ''}`,
  'identity.user.logged_out': (_row, _d, who) => `${who} signed out`,
  'identity.user.updated': (row, d, who) => {
    if (typeof d.disabled === 'boolean') return `${who} ${d.disabled ? 'disabled' : 'enabled'} the account of ${subject(row, d)}`;
    const fields = Array.isArray(d.fields) && d.fields.length ? ` (${d.fields.join(', ')})` : '';
    return isSelf(row, d) ? `${who} changed their profile${fields}` : `${who} changed the profile of ${subject(row, d)}${fields}`;
  },
  'identity.user.role_changed': (row, d, who) =>
    `${who} made ${subject(row, d)} ${d.role === 'admin' ? 'an instance admin' : 'a regular user'}`,
  'identity.user.deleted': (row, d, who) => `${who} deleted the account of ${subject(row, d)}`,
  'identity.user.password_reset': (_row, _d, who) => `${who} reset their password`,
  'identity.space.created': (_row, d, who) => `${who} created the space “${text(d.name)}”`,
  'identity.space.updated': (_row, d, who) => `${who} renamed the space “${text(d.previous_name)}” to “${text(d.name)}”`,
  'identity.space.deleted': (_row, d, who) => `${who} deleted the space “${text(d.name)}”`,
  'identity.membership.added': (row, d, who) =>
    isSelf(row, d) ? `${who} joined as ${role(d.role)}` : `${who} added ${subject(row, d)} as ${role(d.role)}`,
  'identity.membership.role_changed': (row, d, who) =>
    `${who} changed the role of ${subject(row, d)} from ${role(d.previous_role)} to ${role(d.role)}`,
  'identity.membership.removed': (row, d, who) =>
    isSelf(row, d) ? `${who} left the space` : `${who} removed ${subject(row, d)} from the space`,
  'identity.invite.created': (_row, d, who) => `${who} invited ${text(d.email)} as ${role(d.role)}`,
  'identity.invite.claimed': (_row, d, who) => `${who} accepted an invitation as ${role(d.role)}`,
  'identity.invite.revoked': (_row, d, who) => `${who} revoked the invitation of ${text(d.email)}`,
  'identity.feature_flag.changed': (_row, d, who) => `${who} turned ${d.enabled ? 'on' : 'off'} the feature “${text(d.key)}”`,
  'identity.instance_settings.updated': (_row, _d, who) => `${who} changed the instance settings`,
  'identity.password_reset.link_created': (_row, d, who) => `${who} created a password reset link for ${text(d.email)}`,
  'identity.password_reset.requested': (_row, d) => `A password reset was requested for ${text(d.email)}`,
  'identity.api_token.created': (_row, d, who) => `${who} created the API token “${text(d.name)}” (${role(d.role)})`,
  'identity.api_token.revoked': (_row, d, who) => `${who} revoked the API token “${text(d.name)}”`,
  'identity.two_factor.enabled': (_row, _d, who) => `${who} turned on two-step sign-in`,
  'identity.two_factor.disabled': (row, d, who) =>
    d.by === 'admin' ? `${who} turned off two-step sign-in for ${subject(row, d)}` : `${who} turned off two-step sign-in`,
  'library.media.created': (row, d, who) =>
    d.source === 'import' ? `${who} imported ${quoted(d.title, d.year)}${d.provider ? ` from ${provider(d.provider)}` : ''}` : media('added')(row, d, who),
  'library.media.updated': (row, d, who) => {
    const copy = d.copy_changed as { change?: string; format?: string } | null | undefined;
    if (!copy?.change) return media('edited')(row, d, who);
    const format = text(copy.format) || 'a';
    const what = copy.change === 'added' ? `added a ${format} copy to` : `${copy.change === 'removed' ? 'removed' : 'edited'} a ${format} copy of`;
    return `${who} ${what} ${quoted(d.title, d.year)}`;
  },
  'library.media.deleted': media('moved', ' to the trash'),
  'library.media.restored': media('restored'),
  'library.media.purged': (_row, d) => `${quoted(d.title, d.year)} was emptied from the trash`,
  'library.media.cover_set': media('set an own cover for'),
  'library.media.cover_removed': media('removed the own cover of'),
  'library.media.merged': (_row, d, who) => {
    const n = Array.isArray(d.duplicate_ids) ? d.duplicate_ids.length : 0;
    return `${who} merged ${n === 1 ? 'a duplicate' : `${n} duplicates`} into ${quoted(d.title)}`;
  },
  'library.media.merge_reverted': (_row, d, who) => `${who} undid the merge into ${quoted(d.title)}`,
  'library.tag.renamed': (_row, d, who) => `${who} renamed the tag “${text(d.previous_name)}” to “${text(d.name)}”`,
  'library.tag.merged': (_row, d, who) => `${who} merged the tag “${text(d.previous_name)}” into “${text(d.name)}”`,
  'library.view.created': (_row, d, who) => `${who} saved the ${d.shared ? 'shared ' : ''}view “${text(d.name)}”`,
  'library.view.deleted': (_row, d, who) => `${who} deleted the ${d.shared ? 'shared ' : ''}view “${text(d.name)}”`,
  'library.media.watched': (_row, d, who) =>
    d.source === 'manual' || !d.source ? `${who} watched ${quoted(d.title)}` : `${who} watched ${quoted(d.title)} (from ${provider(d.source)})`,
  'library.media.unwatched': (_row, d, who) => `${who} marked ${quoted(d.title)} as not watched`,
  'library.annotation.saved': (_row, d, who) => `${who} saved a ${d.visibility === 'shared' ? 'shared' : 'private'} note`,
  'library.space.exported': (_row, d, who) =>
    `${who} exported ${text(d.titles)} titles as ${text(d.format).toUpperCase()}${d.complete === false ? ' (stopped early)' : ''}`,
  'integrations.settings.updated': (_row, d, who) => `${who} changed the ${provider(d.provider)} settings`,
  'integrations.settings.tested': (_row, d, who) =>
    `${who} tested the ${provider(d.provider)} settings: ${d.ok ? 'they work' : 'they failed'}`,
  'integrations.secret.undecryptable': (_row, d) =>
    `The saved ${provider(d.provider)} secret can no longer be read; enter it again`,
  'sync.job.queued': job('queued'),
  'sync.job.started': job('started'),
  'sync.job.succeeded': job('finished'),
  'sync.job.failed': job('failed'),
  'sync.job.cancelled': job('was cancelled'),
  'gateway.request.completed': (_row, d, who) => `${who}: ${text(d.method)} ${text(d.path) || '(no route)'} answered ${text(d.status)}`,
  'gateway.request.failed': (_row, d, who) =>
    `${who}: ${text(d.method)} ${text(d.path) || '(no route)'} failed with ${text(d.status)}${d.error_code ? ` (${text(d.error_code)})` : ''}`,
};

/** `newcontext.gadget.polished` → "gadget polished": a readable fallback for a kind nobody described. */
function generic(action: string): string {
  const [, entity = '', verb = action] = action.split('.');
  return `${entity.replaceAll('_', ' ')} ${verb.replaceAll('_', ' ')}`.trim();
}

export function activitySentence(row: ActivityRow): string {
  const details = (row.details ?? {}) as Details;
  const who = row.actor_name || (row.user_id ? SOMEONE : 'The system');
  const sentence = SENTENCES[row.action];
  return sentence ? sentence(row, details, who) : `${who}: ${generic(row.action)}`;
}

const KIND_LABELS: Record<string, string> = {
  'identity.user.registered': 'Account created',
  'identity.user.logged_in': 'Signed in',
  'identity.user.login_failed': 'Sign-in refused',
  'identity.user.logged_out': 'Signed out',
  'identity.user.updated': 'Profile changed',
  'identity.user.role_changed': 'Instance role changed',
  'identity.user.deleted': 'Account deleted',
  'identity.space.created': 'Space created',
  'identity.space.updated': 'Space renamed',
  'identity.space.deleted': 'Space deleted',
  'identity.membership.added': 'Member added',
  'identity.membership.role_changed': 'Member role changed',
  'identity.membership.removed': 'Member removed',
  'identity.invite.created': 'Invitation sent',
  'identity.invite.claimed': 'Invitation accepted',
  'identity.invite.revoked': 'Invitation revoked',
  'identity.feature_flag.changed': 'Feature turned on or off',
  'library.media.created': 'Title added',
  'library.media.updated': 'Title edited',
  'library.media.deleted': 'Title moved to the trash',
  'library.media.restored': 'Title restored',
  'library.media.cover_set': 'Own cover set',
  'library.media.cover_removed': 'Own cover removed',
  'library.media.merged': 'Titles merged',
  'library.media.merge_reverted': 'Merge undone',
  'library.tag.renamed': 'Tag renamed',
  'library.tag.merged': 'Tags merged',
  'library.view.created': 'View saved',
  'library.view.deleted': 'View deleted',
  'integrations.settings.updated': 'Integration settings changed',
  'integrations.settings.tested': 'Integration tested',
  'integrations.secret.undecryptable': 'Integration secret unreadable',
  'sync.job.queued': 'Sync started',
  'sync.job.started': 'Sync running',
  'sync.job.succeeded': 'Sync finished',
  'sync.job.failed': 'Sync failed',
  'sync.job.cancelled': 'Sync cancelled',
  'gateway.request.completed': 'Request answered',
  'gateway.request.failed': 'Request failed',
};

/** The label of a kind of action in the filter list. */
export function kindLabel(action: string): string {
  const label = KIND_LABELS[action] ?? generic(action);
  return label.charAt(0).toUpperCase() + label.slice(1);
}
