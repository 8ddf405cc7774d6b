import { useState, type FormEvent } from 'react';
import { updateMedia } from '../api/media';
import { listTags } from '../api/tags';
import type { Media } from '../api/types';
import { useAction, useResource } from '../app/hooks';
import { Link } from '../app/navigation';
import { ErrorNotice } from '../app/ui';
import { libraryHref } from '../library/filters';
import { withTag, withoutTag } from './tagNames';

/** A title's tags as chips (each opens the library filtered by it); who may edit the title adds and removes them. */
export function TagChips({ media, canEdit, onChange }: { media: Media; canEdit: boolean; onChange: (next: Media) => void }) {
  const tags = media.tags ?? [];
  const [draft, setDraft] = useState('');
  const { run, busy, error } = useAction();
  // The space's tags, offered while typing so one tag is not spelled two ways.
  const known = useResource(async (signal) => (canEdit ? (await listTags(undefined, signal)).items : []), [canEdit]);

  async function save(next: string[]) {
    const updated = await run(() => updateMedia(media.id, { tags: next }));
    if (updated) onChange({ ...media, tags: updated.tags ?? next });
    return updated;
  }

  async function add(event: FormEvent) {
    event.preventDefault();
    const next = withTag(tags, draft);
    if (next === tags) return;
    if (await save(next)) setDraft('');
  }

  if (!canEdit && tags.length === 0) return null;
  return (
    <section className="tags-section" aria-labelledby="tags-heading">
      <h2 id="tags-heading">Tags</h2>
      <ul className="tag-chips">
        {tags.map((tag) => (
          <li key={tag} className="tag-chip">
            <Link to={libraryHref({ tag })}>{tag}</Link>
            {canEdit && (
              <button type="button" className="tag-remove" aria-label={`Remove the tag ${tag}`} disabled={busy} onClick={() => void save(withoutTag(tags, tag))}>
                ×
              </button>
            )}
          </li>
        ))}
        {tags.length === 0 && <li className="muted">No tags yet.</li>}
      </ul>
      {canEdit && (
        <form className="form-row tag-add" onSubmit={add} aria-label="Add a tag">
          <label>
            <span className="visually-hidden">New tag</span>
            <input type="text" list="space-tags" maxLength={50} placeholder="Add a tag" value={draft} onChange={(event) => setDraft(event.target.value)} />
          </label>
          <datalist id="space-tags">
            {(known.state.data ?? []).map((tag) => (
              <option key={tag.name} value={tag.name} />
            ))}
          </datalist>
          <button type="submit" disabled={busy || !draft.trim()}>
            Add tag
          </button>
        </form>
      )}
      <ErrorNotice error={error} />
    </section>
  );
}
