import { useState, type FormEvent } from 'react';
import { createApiToken, listApiTokens, revokeApiToken } from '../api/auth';
import type { ApiToken, CreatedApiToken, SpaceRole } from '../api/types';
import { fieldErrors } from '../app/errors';
import { useAction, useResource, useRowAction } from '../app/hooks';
import { useNotices } from '../app/notices';
import { ROLE_LABELS } from '../app/roles';
import { useMe } from '../app/session';
import { ShownOnce } from '../app/ShownOnce';
import { ErrorNotice, formatDate, Page, ResourceStatus, TableHead } from '../app/ui';
import { EXPIRY_CHOICES, expiryFrom, tokenRoles } from './accounts';

/** /profile/tokens: personal API tokens for scripts (secret shown once, revocable). */
export function TokensPage() {
  const { me } = useMe();
  const tokens = useResource(() => listApiTokens(), []);
  const [name, setName] = useState('');
  const [spaceId, setSpaceId] = useState(me.active_space?.id ?? me.spaces[0]?.id ?? '');
  const myRole = me.spaces.find((space) => space.id === spaceId)?.role ?? 'viewer';
  const [role, setRole] = useState<SpaceRole>('viewer');
  const [days, setDays] = useState<number>(90);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const create = useAction();
  const { notify } = useNotices();
  const row = useRowAction(notify);
  const errors = fieldErrors(create.error);
  const roles = tokenRoles(myRole);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await create.run(() =>
      createApiToken({ name: name.trim(), space_id: spaceId, role: roles.includes(role) ? role : 'viewer', expires_at: expiryFrom(days, new Date()) }),
    );
    if (result) {
      setCreated(result);
      setName('');
      tokens.reload();
    }
  }

  async function revoke(token: ApiToken) {
    if (!window.confirm(`Revoke “${token.name}”? Scripts using it stop working at once.`)) return;
    if (await row.act(token.id, () => revokeApiToken(token.id), `“${token.name}” was revoked.`)) {
      if (created?.token.id === token.id) setCreated(null);
      tokens.reload();
    }
  }

  return (
    <Page title="API tokens">
      <p>
        A token lets a script use Shelfspace as you, in one space, with a role no higher than yours: send it as{' '}
        <code>Authorization: Bearer …</code>. It cannot manage tokens or change your account.
      </p>
      <form className="form panel" onSubmit={submit} aria-label="Create a token">
        <h2>Create a token</h2>
        <label>
          Name
          <input type="text" required maxLength={100} value={name} placeholder="e.g. backup script" onChange={(e) => setName(e.target.value)} />
          {errors.name && <span className="field-error">{errors.name}</span>}
        </label>
        <label>
          Space
          <select value={spaceId} onChange={(e) => setSpaceId(e.target.value)}>
            {me.spaces.map((space) => (
              <option key={space.id} value={space.id}>
                {space.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Role
          <select value={roles.includes(role) ? role : 'viewer'} onChange={(e) => setRole(e.target.value as SpaceRole)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
                {r === 'viewer' ? ' (read-only)' : ''}
              </option>
            ))}
          </select>
          {errors.role && <span className="field-error">{errors.role}</span>}
        </label>
        <label>
          Expires after
          <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {EXPIRY_CHOICES.map((choice) => (
              <option key={choice.days} value={choice.days}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
        <ErrorNotice error={Object.keys(errors).length ? null : create.error} />
        <button type="submit" className="primary" disabled={create.busy || !spaceId}>
          {create.busy ? 'Creating…' : 'Create token'}
        </button>
      </form>
      {created && (
        <ShownOnce key={created.token.id} region="New API token" label="Token secret" value={created.secret} what="token">
          <p>
            Copy the secret of <strong>{created.token.name}</strong> now: it is shown only this once.
          </p>
        </ShownOnce>
      )}
      <h2>Your tokens</h2>
      <ErrorNotice error={row.error} />
      <ResourceStatus state={tokens.state} onRetry={tokens.reload} />
      {tokens.state.kind === 'ready' && tokens.state.data.length === 0 && <p className="muted">No tokens yet.</p>}
      {tokens.state.kind === 'ready' && tokens.state.data.length > 0 && (
        <div className="table-wrap">
          <table className="dense" aria-label="API tokens">
            <TableHead columns={['Name', 'Space', 'Role', 'Last used', 'Expires', { hidden: 'Actions' }]} />
            <tbody>
              {tokens.state.data.map((token) => (
                <tr key={token.id}>
                  <th scope="row">{token.name}</th>
                  <td>{token.space_name}</td>
                  <td>{ROLE_LABELS[token.role] ?? token.role}</td>
                  <td>{token.last_used_at ? formatDate(token.last_used_at) : 'Never'}</td>
                  <td>{token.expires_at ? formatDate(token.expires_at) : 'Never'}</td>
                  <td className="buttons">
                    <button type="button" className="danger" disabled={row.busy === token.id} onClick={() => revoke(token)} aria-label={`Revoke ${token.name}`}>
                      Revoke
                    </button>
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
