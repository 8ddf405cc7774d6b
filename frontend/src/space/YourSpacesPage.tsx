import { useState, type FormEvent } from 'react';
import { createSpace, deleteSpace, leaveSpace, renameSpace, setActiveSpace } from '../api/spaces';
import type { SpaceRef } from '../api/types';
import { useRowAction } from '../app/hooks';
import { navigate } from '../app/navigation';
import { useNotices } from '../app/notices';
import { ROLE_LABELS, atLeast } from '../app/roles';
import { useMe } from '../app/session';
import { ErrorNotice, Page } from '../app/ui';

type Mode = 'rename' | 'delete' | 'leave' | null;

function SpaceCard({ space, active, onChanged }: { space: SpaceRef; active: boolean; onChanged: (leftActive: boolean) => Promise<void> }) {
  const { me } = useMe();
  const { notify } = useNotices();
  const row = useRowAction(notify);
  const [mode, setMode] = useState<Mode>(null);
  const [name, setName] = useState(space.name);
  const [typed, setTyped] = useState('');
  const busy = row.busy === space.id;
  const canRename = atLeast(space.role, 'admin');
  const canDelete = space.role === 'owner';
  const headingId = `space-${space.id}`;

  async function run(action: () => Promise<unknown>, done: string, gone: boolean) {
    if (!(await row.act(space.id, action, done))) return;
    setMode(null);
    await onChanged(gone && active);
  }

  function submitRename(event: FormEvent) {
    event.preventDefault();
    void run(() => renameSpace(space.id, name.trim()), `Renamed to ${name.trim()}.`, false);
  }

  function submitDelete(event: FormEvent) {
    event.preventDefault();
    void run(() => deleteSpace(space.id, typed), `${space.name} was deleted.`, true);
  }

  return (
    <li className="panel space-card" aria-labelledby={headingId}>
      <div className="space-card-head">
        <h2 id={headingId}>{space.name}</h2>
        <span className="badge">{ROLE_LABELS[space.role]}</span>
        {active && <span className="badge ok">Active</span>}
      </div>
      <div className="space-card-actions">
        {!active && (
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void run(
                async () => {
                  await setActiveSpace(space.id);
                  navigate('/');
                },
                `Now in ${space.name}.`,
                false,
              )
            }
          >
            Switch to {space.name}
          </button>
        )}
        {canRename && (
          <button type="button" aria-expanded={mode === 'rename'} onClick={() => setMode(mode === 'rename' ? null : 'rename')}>
            Rename
          </button>
        )}
        <button type="button" aria-expanded={mode === 'leave'} onClick={() => setMode(mode === 'leave' ? null : 'leave')}>
          Leave
        </button>
        {canDelete && (
          <button type="button" className="danger" aria-expanded={mode === 'delete'} onClick={() => setMode(mode === 'delete' ? null : 'delete')}>
            Delete
          </button>
        )}
      </div>
      <ErrorNotice error={row.error} />
      {mode === 'rename' && (
        <form className="inline-form" onSubmit={submitRename}>
          <label>
            New name
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required autoFocus />
          </label>
          <button type="submit" className="primary" disabled={busy || !name.trim() || name.trim() === space.name}>
            Save name
          </button>
        </form>
      )}
      {mode === 'leave' && (
        <div className="confirm">
          <p>
            Leave <strong>{space.name}</strong>? You will no longer see its titles; an owner or admin can invite you again.
          </p>
          <button type="button" className="danger" disabled={busy} onClick={() => void run(() => leaveSpace(space.id, me.user.id), `You left ${space.name}.`, true)}>
            Leave {space.name}
          </button>
        </div>
      )}
      {mode === 'delete' && (
        <form className="confirm" onSubmit={submitDelete}>
          <p>
            Deleting <strong>{space.name}</strong> removes its titles, copies, notes, members and invitations for everyone. This cannot be undone.
          </p>
          <label>
            Type the space’s name to confirm
            <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" autoFocus />
          </label>
          <button type="submit" className="danger" disabled={busy || typed !== space.name}>
            Delete {space.name} for everyone
          </button>
        </form>
      )}
    </li>
  );
}

/** The spaces the user belongs to: create, switch, rename, leave, delete. */
export function YourSpacesPage() {
  const { me, refresh } = useMe();
  const { notify } = useNotices();
  const creating = useRowAction(notify);
  const [name, setName] = useState('');

  async function changed(leftActive: boolean) {
    await refresh();
    if (leftActive) navigate('/spaces', { replace: true });
  }

  async function create(event: FormEvent) {
    event.preventDefault();
    const wanted = name.trim();
    let created: SpaceRef | null = null;
    const ok = await creating.act(
      'new',
      async () => {
        created = await createSpace(wanted);
        await setActiveSpace(created.id);
      },
      `${wanted} is created and is now your active space.`,
    );
    if (!ok || !created) return;
    setName('');
    await refresh();
  }

  return (
    <Page title="Your spaces">
      <p className="muted">
        A space is one shared collection with its own members. You see the titles of the active space; switch at the top of every page.
      </p>
      <form className="inline-form panel" onSubmit={create} aria-label="New space">
        <label>
          New space name
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} placeholder="e.g. Family films" required />
        </label>
        <button type="submit" className="primary" disabled={creating.busy === 'new' || !name.trim()}>
          Create space
        </button>
      </form>
      <ErrorNotice error={creating.error} />
      {me.spaces.length === 0 ? (
        <p>You are not in any space yet. Create one above, or open an invitation link someone sent you.</p>
      ) : (
        <ul className="space-cards">
          {me.spaces.map((space) => (
            <SpaceCard key={space.id} space={space} active={space.id === me.active_space?.id} onChanged={changed} />
          ))}
        </ul>
      )}
    </Page>
  );
}
