import { useState, type FormEvent } from 'react';
import { createView, deleteView, type SavedView } from '../api/tags';
import { useAction } from '../app/hooks';
import { useNotices } from '../app/notices';
import { ErrorNotice, FormButtons } from '../app/ui';
import { viewsChanged } from './savedViews';

/** "Save view" on the library: the current filters and sort under a name, private or shared; or delete the view shown. */
export function SaveViewForm({ query, showing }: { query: string; showing: SavedView | undefined }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const { run, busy, error, clear } = useAction();
  const { notify } = useNotices();

  async function save(event: FormEvent) {
    event.preventDefault();
    const saved = await run(() => createView({ name: name.trim(), query, shared }));
    if (!saved) return;
    viewsChanged();
    setOpen(false);
    setName('');
    notify(`Saved the view “${saved.name}”${saved.shared ? ' for the space' : ''}.`);
  }

  async function remove(view: SavedView) {
    if (!window.confirm(`Delete the saved view “${view.name}”?`)) return;
    if ((await run(() => deleteView(view.id))) === undefined) return;
    viewsChanged();
    notify(`Deleted the view “${view.name}”.`);
  }

  if (!open) {
    return (
      <div className="saved-view-bar">
        {showing && (
          <span className="muted">
            Saved view: <strong>{showing.name}</strong>
            {showing.shared ? ' (shared)' : ''}
          </span>
        )}
        {showing?.can_delete && (
          <button type="button" onClick={() => void remove(showing)} disabled={busy}>
            Delete view
          </button>
        )}
        {!showing && (
          <button type="button" onClick={() => setOpen(true)}>
            Save view
          </button>
        )}
        <ErrorNotice error={error} />
      </div>
    );
  }
  return (
    <form className="form narrow save-view" onSubmit={save} aria-label="Save this view">
      <label>
        Name
        <input type="text" value={name} maxLength={100} required autoFocus onChange={(event) => setName(event.target.value)} />
      </label>
      <label className="check">
        <input type="checkbox" checked={shared} onChange={(event) => setShared(event.target.checked)} />
        Share with the space
      </label>
      <ErrorNotice error={error} />
      <FormButtons
        label="Save view"
        busy={busy}
        disabled={!name.trim()}
        onCancel={() => {
          clear();
          setOpen(false);
        }}
      />
    </form>
  );
}
