import { useState, type FormEvent } from 'react';
import { listTags, renameTag, type Tag } from '../api/tags';
import { useAction, useResource } from '../app/hooks';
import { Link } from '../app/navigation';
import { useNotices } from '../app/notices';
import { useSession } from '../app/session';
import { ErrorNotice, Page, ResourceStatus, TableHead } from '../app/ui';
import { libraryHref } from '../library/filters';
import { cleanTag, MAX_TAG_LENGTH } from './tagNames';

/** Renaming one tag; a name another tag has merges the two (asked first). */
function RenameForm({ tag, tags, onDone, onCancel }: { tag: Tag; tags: Tag[]; onDone: () => void; onCancel: () => void }) {
  const [name, setName] = useState(tag.name);
  const { run, busy, error } = useAction();
  const { notify } = useNotices();
  const clean = cleanTag(name);
  const other = tags.find((t) => t.name !== tag.name && t.name.toLowerCase() === clean.toLowerCase());

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (other && !window.confirm(`“${other.name}” exists: merge “${tag.name}” into it? Its ${tag.count} titles get “${other.name}”.`)) return;
    const answer = await run(() => renameTag(tag.name, clean));
    if (!answer) return;
    notify(answer.merged ? `Merged “${tag.name}” into “${answer.name}”.` : `Renamed “${tag.name}” to “${answer.name}”.`);
    onDone();
  }

  return (
    <form className="form-row inline-form" onSubmit={submit} aria-label={`Rename ${tag.name}`}>
      <label>
        New name
        <input type="text" value={name} maxLength={MAX_TAG_LENGTH} required autoFocus onChange={(event) => setName(event.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={busy || !clean || clean === tag.name}>
        {other ? 'Merge' : 'Rename'}
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <ErrorNotice error={error} />
    </form>
  );
}

/** The space's tags with how many titles carry each; admins rename and merge them. */
export function TagsPage() {
  const { permissions } = useSession();
  const { state, reload } = useResource((signal) => listTags(undefined, signal), []);
  const [renaming, setRenaming] = useState<string | null>(null);
  const canRename = permissions.canManageSpace;
  const tags = state.data?.items ?? [];

  return (
    <Page title="Tags">
      <p className="muted">
        Free tags on titles, shared by the space. Add them on a title's page; a tag opens the library filtered by it.
        {canRename && ' Renaming a tag to the name of another merges the two.'}
      </p>
      <ResourceStatus state={state} onRetry={reload} label="Loading tags…" />
      {state.kind === 'ready' && tags.length === 0 && <p className="empty">No tags yet. Add one on a title's page.</p>}
      {tags.length > 0 && (
        <div className="table-wrap">
          <table className="dense cards-on-phone" aria-label="Tags">
            <TableHead columns={['Tag', 'Titles', ...(canRename ? [{ hidden: 'Actions' }] : [])]} />
            <tbody>
              {tags.map((tag) => (
                <tr key={tag.name}>
                  <th scope="row">
                    <Link to={libraryHref({ tag: tag.name })}>{tag.name}</Link>
                  </th>
                  <td data-label="Titles">{tag.count}</td>
                  {canRename && (
                    <td className="buttons">
                      {renaming === tag.name ? (
                        <RenameForm
                          tag={tag}
                          tags={tags}
                          onCancel={() => setRenaming(null)}
                          onDone={() => {
                            setRenaming(null);
                            reload();
                          }}
                        />
                      ) : (
                        <button type="button" aria-label={`Rename ${tag.name}`} onClick={() => setRenaming(tag.name)}>
                          Rename or merge
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
