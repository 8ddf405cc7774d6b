import { useState, type FormEvent } from 'react';
import { createInvite, listInvites, revokeInvite } from '../api/spaces';
import type { CreatedInvite, Invite, SpaceRole } from '../api/types';
import { fieldErrors } from '../app/errors';
import { useAction, useResource } from '../app/hooks';
import { useNotices } from '../app/notices';
import { ROLE_LABELS, assignableRoles } from '../app/roles';
import { useSession } from '../app/session';
import { ErrorNotice, Page, formatDate, TableHead, ResourceStatus } from '../app/ui';
import { NeedsRole } from './NeedsRole';
import { absoluteUrl, ShownOnce } from '../app/ShownOnce';

/** The full link to send: the server's invite_url, made absolute against this site if needed. */
export function inviteLink(created: Pick<CreatedInvite, 'invite_url' | 'token'>, origin: string): string {
  return absoluteUrl(created.invite_url || `/invite/${encodeURIComponent(created.token)}`, origin);
}

const STATE_LABELS: Record<Invite['state'], string> = {
  pending: 'Pending',
  used: 'Used',
  revoked: 'Revoked',
  expired: 'Expired',
};

export function InvitesPage() {
  const { me, permissions } = useSession();
  const spaceId = me?.active_space?.id ?? '';
  const [showAll, setShowAll] = useState(false);
  const invites = useResource(() => listInvites(spaceId, showAll), [spaceId, showAll]);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<SpaceRole>('member');
  const [created, setCreated] = useState<CreatedInvite | null>(null);
  const create = useAction();
  const revoke = useAction();
  const { notify } = useNotices();

  if (!permissions.canManageSpace) {
    return (
      <Page title="Invitations">
        <NeedsRole what="invite people" />
      </Page>
    );
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await create.run(() => createInvite(spaceId, email.trim(), role));
    if (result) {
      setCreated(result);
      setEmail('');
      invites.reload();
    }
  }


  async function onRevoke(invite: Invite) {
    const ok = await revoke.run(async () => {
      await revokeInvite(spaceId, invite.id);
      return true;
    });
    if (ok) {
      notify(`The invitation for ${invite.email} was revoked.`);
      invites.reload();
    }
  }
  const errors = fieldErrors(create.error);

  return (
    <Page title="Invitations">
      <form className="form panel" onSubmit={submit} aria-label="Invite someone">
        <h2>Invite someone</h2>
        <label>
          Email
          <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} aria-invalid={errors.email ? true : undefined} />
          {errors.email && <span className="field-error">{errors.email}</span>}
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as SpaceRole)}>
            {assignableRoles(permissions).map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        <ErrorNotice error={create.error} />
        <button type="submit" className="primary" disabled={create.busy}>
          {create.busy ? 'Creating…' : 'Create invitation'}
        </button>
      </form>
      {created && (
        <ShownOnce key={created.token} region="New invitation link" label="Invitation link" value={inviteLink(created, window.location.origin)} what="link">
          <p>
            Send this link to <strong>{created.invite.email}</strong>. It is shown only once and works once.
          </p>
        </ShownOnce>
      )}
      <h2>Invitations</h2>
      <label className="check">
        <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} />
        Show used, revoked and expired invitations
      </label>
      <ErrorNotice error={revoke.error} />
      <ResourceStatus state={invites.state} onRetry={invites.reload} />
      {invites.state.kind === 'ready' && invites.state.data.length === 0 && <p className="muted">No invitations.</p>}
      {invites.state.kind === 'ready' && invites.state.data.length > 0 && (
        <div className="table-wrap">
          <table className="dense cards-on-phone" aria-label="Invitations">
            <TableHead columns={['Email', 'Role', 'State', 'Expires', { hidden: 'Actions' }]} />
            <tbody>
              {invites.state.data.map((invite) => (
                <tr key={invite.id}>
                  <th scope="row">{invite.email}</th>
                  <td data-label="Role">{ROLE_LABELS[invite.role] ?? invite.role}</td>
                  <td data-label="State">{STATE_LABELS[invite.state] ?? invite.state}</td>
                  <td data-label="Expires">{invite.state === 'used' ? `Used ${formatDate(invite.used_at)}` : formatDate(invite.expires_at)}</td>
                  <td>
                    {invite.state === 'pending' && (
                      <button type="button" onClick={() => onRevoke(invite)} disabled={revoke.busy} aria-label={`Revoke invitation for ${invite.email}`}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
