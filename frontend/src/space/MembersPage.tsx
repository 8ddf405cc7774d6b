import { changeMemberRole, listMembers, removeMember } from '../api/spaces';
import type { Member, SpaceRole } from '../api/types';
import { useResource, useRowAction } from '../app/hooks';
import { useNotices } from '../app/notices';
import { ROLE_LABELS, assignableRoles } from '../app/roles';
import { useSession } from '../app/session';
import { ErrorNotice, Page, ResourceStatus, TableHead, formatDate } from '../app/ui';

export function MembersPage() {
  const { me, permissions, refresh } = useSession();
  const spaceId = me?.active_space?.id ?? '';
  const members = useResource(() => listMembers(spaceId), [spaceId]);
  const { notify } = useNotices();
  const row = useRowAction(notify);
  const busy = row.busy;
  const roles = assignableRoles(permissions);

  async function act(member: Member, action: () => Promise<unknown>, done: string) {
    if (!(await row.act(member.user_id, action, done))) return;
    members.reload();
    if (member.user_id === me?.user.id) await refresh();
  }

  /** Admins cannot touch owners; nobody edits themselves here. */
  const canEdit = (member: Member) =>
    permissions.canManageSpace && member.user_id !== me?.user.id && (member.role !== 'owner' || permissions.canGrantOwner);

  return (
    <Page title="Members">
      <p className="muted">People in {me?.active_space?.name ?? 'this space'} and what they may do.</p>
      <ErrorNotice error={row.error} />
      <ResourceStatus state={members.state} onRetry={members.reload} />
      {members.state.kind === 'ready' && (
        <div className="table-wrap">
          <table className="dense cards-on-phone" aria-label="Members">
            <TableHead columns={['Name', 'Email', 'Role', 'Joined', ...(permissions.canManageSpace ? [{ hidden: 'Actions' }] : [])]} />
            <tbody>
              {members.state.data.map((member) => (
                <tr key={member.user_id}>
                  <th scope="row">
                    {member.name}
                    {member.user_id === me?.user.id && <span className="muted small"> (you)</span>}
                  </th>
                  <td data-label="Email">{member.email}</td>
                  <td data-label="Role">
                    {canEdit(member) ? (
                      <select
                        aria-label={`Role of ${member.name}`}
                        value={member.role}
                        disabled={busy === member.user_id}
                        onChange={(e) =>
                          act(
                            member,
                            () => changeMemberRole(spaceId, member.user_id, e.target.value as SpaceRole),
                            `${member.name} is now ${ROLE_LABELS[e.target.value as SpaceRole].toLowerCase()}.`,
                          )
                        }
                      >
                        {(roles.includes(member.role) ? roles : [member.role, ...roles]).map((role) => (
                          <option key={role} value={role}>
                            {ROLE_LABELS[role]}
                          </option>
                        ))}
                      </select>
                    ) : (
                      ROLE_LABELS[member.role] ?? member.role
                    )}
                  </td>
                  <td data-label="Joined">{formatDate(member.joined_at)}</td>
                  {permissions.canManageSpace && (
                    <td>
                      {canEdit(member) && (
                        <button
                          type="button"
                          className="danger"
                          disabled={busy === member.user_id}
                          aria-label={`Remove ${member.name}`}
                          onClick={() =>
                            window.confirm(`Remove ${member.name} from this space?`) &&
                            act(member, () => removeMember(spaceId, member.user_id), `${member.name} was removed.`)
                          }
                        >
                          Remove
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
