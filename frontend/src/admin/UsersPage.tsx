import { useState } from 'react';
import { createResetLink, deleteUser, getInstanceSettings, listUsers, resetTwoFactor, updateInstanceSettings, updateUser } from '../api/admin';
import type { AdminUser, ResetLink } from '../api/types';
import { useAction, useResource, useRowAction } from '../app/hooks';
import { useNotices } from '../app/notices';
import { useMe } from '../app/session';
import { absoluteUrl, ShownOnce } from '../app/ShownOnce';
import { ErrorNotice, formatDate, Page, ResourceStatus, TableHead } from '../app/ui';

export function UsersPage() {
  const { me } = useMe();
  const users = useResource(() => listUsers(), []);
  const { notify } = useNotices();
  const row = useRowAction(notify);
  const busy = row.busy;
  const [reset, setReset] = useState<{ user: AdminUser; link: ResetLink } | null>(null);
  const settings = useResource(() => getInstanceSettings(), []);
  const saving = useAction();

  async function requireTwoFactor(required: boolean) {
    const saved = await saving.run(() => updateInstanceSettings({ two_factor_for_admins: required }));
    if (saved) {
      settings.set(saved);
      notify(required ? 'Administrators now need two-factor sign-in.' : 'Two-factor sign-in is optional for administrators.');
    }
  }

  async function act(user: AdminUser, action: () => Promise<unknown>, done: string) {
    if (await row.act(user.id, action, done)) users.reload();
  }

  async function sendResetLink(user: AdminUser) {
    setReset(null);
    await row.act(user.id, async () => setReset({ user, link: await createResetLink(user.id) }), `A reset link for ${user.name} is ready.`);
  }

  return (
    <Page title="Users">
      <ErrorNotice error={row.error} />
      {reset && (
        <ShownOnce
          key={reset.link.reset_url}
          region="Password reset link"
          label={`Reset link for ${reset.user.name}`}
          value={absoluteUrl(reset.link.reset_url, window.location.origin)}
          what="link"
        >
          <p>
            Give this link to <strong>{reset.user.email}</strong> yourself. It is shown only once, works once, until{' '}
            {formatDate(reset.link.expires_at)}, and replaces any earlier link. Using it signs {reset.user.name} out everywhere.
          </p>
        </ShownOnce>
      )}
      {settings.state.kind === 'ready' && (
        <section className="panel" aria-label="Sign-in security">
          <label>
            <input
              type="checkbox"
              checked={settings.state.data.two_factor_for_admins === true}
              disabled={saving.busy}
              onChange={(e) => requireTwoFactor(e.target.checked)}
            />{' '}
            Require two-factor sign-in for administrators
          </label>
          <p className="muted small">
            An administrator without it can use only their profile until they set it up. Turn it on for yourself first (Profile).
          </p>
          <ErrorNotice error={saving.error} />
        </section>
      )}
      <ResourceStatus state={users.state} onRetry={users.reload} />
      {users.state.kind === 'ready' && (
        <div className="table-wrap">
          <table className="dense cards-on-phone" aria-label="Users">
            <TableHead columns={['Name', 'Email', 'Role', 'Status', { hidden: 'Actions' }]} />
            <tbody>
              {users.state.data.map((user) => {
                const self = user.id === me.user.id;
                return (
                  <tr key={user.id}>
                    <th scope="row">
                      {user.name}
                      {self && <span className="muted small"> (you)</span>}
                    </th>
                    <td data-label="Email">{user.email}</td>
                    <td data-label="Role">
                      <select
                        aria-label={`Instance role of ${user.name}`}
                        value={user.role}
                        disabled={self || busy === user.id}
                        onChange={(e) =>
                          act(user, () => updateUser(user.id, { role: e.target.value as AdminUser['role'] }), `${user.name}'s role changed.`)
                        }
                      >
                        <option value="user">User</option>
                        <option value="admin">Administrator</option>
                      </select>
                    </td>
                    <td data-label="Status">
                      {user.disabled ? 'Disabled' : 'Active'}
                      {user.two_factor_enabled && <span className="muted small"> · 2FA on</span>}
                    </td>
                    <td className="buttons">
                      {!self && (
                        <>
                          <button type="button" disabled={busy === user.id} onClick={() => sendResetLink(user)} aria-label={`Send reset link to ${user.name}`}>
                            Send reset link
                          </button>
                          {user.two_factor_enabled && (
                            <button
                              type="button"
                              disabled={busy === user.id}
                              aria-label={`Reset two-factor sign-in of ${user.name}`}
                              onClick={() =>
                                window.confirm(`Turn off two-factor sign-in for ${user.name}? Their password alone will sign them in.`) &&
                                act(user, () => resetTwoFactor(user.id), `Two-factor sign-in of ${user.name} was reset.`)
                              }
                            >
                              Reset 2FA
                            </button>
                          )}
                          <button
                            type="button"
                            disabled={busy === user.id}
                            onClick={() =>
                              act(user, () => updateUser(user.id, { disabled: !user.disabled }), `${user.name} ${user.disabled ? 'enabled' : 'disabled'}.`)
                            }
                          >
                            {user.disabled ? `Enable ${user.name}` : `Disable ${user.name}`}
                          </button>
                          <button
                            type="button"
                            className="danger"
                            disabled={busy === user.id}
                            aria-label={`Delete ${user.name}`}
                            onClick={() =>
                              window.confirm(`Delete ${user.name} (${user.email})? This cannot be undone.`) &&
                              act(user, () => deleteUser(user.id), `${user.name} was deleted.`)
                            }
                          >
                            Delete
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
