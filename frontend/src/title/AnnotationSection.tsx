import { useState, type FormEvent } from 'react';
import { saveAnnotation } from '../api/media';
import type { Media, Visibility } from '../api/types';
import { useAction } from '../app/hooks';
import { useNotices } from '../app/notices';
import { ErrorNotice } from '../app/ui';
import { ownAnnotation } from './draft';

/** The caller's rating and notes, and what other members chose to share (the watched state has its own panel). */
export function AnnotationSection({ media, userId, onSaved }: { media: Media; userId?: string; onSaved: () => void }) {
  const own = ownAnnotation(media);
  const [rating, setRating] = useState(own?.rating?.toString() ?? '');
  const [notes, setNotes] = useState(own?.notes ?? '');
  const [visibility, setVisibility] = useState<Visibility>(own?.visibility ?? 'private');
  const action = useAction();
  const { notify } = useNotices();
  const shared = (media.shared_annotations ?? []).filter((a) => !userId || a.user_id !== userId);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const saved = await action.run(async () => {
      await saveAnnotation(media.id, {
        rating: rating === '' ? null : Number(rating),
        notes: notes.trim() || null,
        visibility,
      });
      return true;
    });
    if (saved) {
      notify('Your notes were saved.');
      onSaved();
    }
  }

  return (
    <>
      <section aria-labelledby="my-notes-title">
        <h2 id="my-notes-title">My rating and notes</h2>
        <form className="form" onSubmit={submit} aria-label="My rating and notes">
          <div className="form-row">
            <label>
              My rating (0–10)
              <input type="number" min={0} max={10} step={0.5} value={rating} onChange={(e) => setRating(e.target.value)} />
            </label>
          </div>
          <label>
            My notes
            <textarea rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} />
          </label>
          <fieldset className="radios">
            <legend>Who can see this</legend>
            <label className="check">
              <input type="radio" name="visibility" checked={visibility === 'private'} onChange={() => setVisibility('private')} />
              Only me
            </label>
            <label className="check">
              <input type="radio" name="visibility" checked={visibility === 'shared'} onChange={() => setVisibility('shared')} />
              Everyone in this space
            </label>
          </fieldset>
          <ErrorNotice error={action.error} />
          <button type="submit" className="primary" disabled={action.busy}>
            {action.busy ? 'Saving…' : 'Save my notes'}
          </button>
        </form>
      </section>
      <section aria-labelledby="shared-notes-title">
        <h2 id="shared-notes-title">Shared by members</h2>
        {shared.length === 0 ? (
          <p className="muted">No one has shared a rating or notes yet.</p>
        ) : (
          <ul className="annotations">
            {shared.map((a, index) => (
              <li key={a.user_id ?? index}>
                <strong>{a.user_name ?? a.name ?? 'A member'}</strong>
                {a.rating !== null && a.rating !== undefined && <> · rated {a.rating}/10</>}
                {a.watched && <> · watched</>}
                {a.notes && <p>{a.notes}</p>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
