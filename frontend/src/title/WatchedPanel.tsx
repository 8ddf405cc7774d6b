import { useState, type FormEvent } from 'react';
import { clearWatched, markWatched } from '../api/media';
import type { Media } from '../api/types';
import { useAction } from '../app/hooks';
import { useNotices } from '../app/notices';
import { ErrorNotice } from '../app/ui';
import { dayInput, describeWatched, watchedAtFor } from './watchedDraft';

/** The caller's own watched state of the title: mark it watched on a day (today by default), or clear it. */
export function WatchedPanel({ media, onChange }: { media: Media; onChange: (watchedAt: string | null) => void }) {
  const [day, setDay] = useState(dayInput());
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction();
  const { notify } = useNotices();
  const watchedAt = media.watched_at ?? null;

  async function mark(event: FormEvent) {
    event.preventDefault();
    const body = watchedAtFor(day);
    if ('problem' in body) {
      setProblem(body.problem);
      return;
    }
    setProblem(null);
    const saved = await action.run(() => markWatched(media.id, body.watched_at));
    if (saved) {
      onChange(saved.watched_at);
      notify('Marked as watched.');
    }
  }

  async function clear() {
    const done = await action.run(async () => {
      await clearWatched(media.id);
      return true;
    });
    if (done) {
      onChange(null);
      notify('Marked as not watched.');
    }
  }

  return (
    <section aria-labelledby="watched-title" className="watched-panel">
      <h2 id="watched-title">Watched</h2>
      {watchedAt ? (
        <div className="watched-state">
          <span className="badge watched-badge" data-testid="watched-state">
            {describeWatched(watchedAt)}
          </span>
          <button type="button" onClick={clear} disabled={action.busy}>
            {action.busy ? 'Saving…' : 'Mark as not watched'}
          </button>
        </div>
      ) : (
        <form className="form-row watched-form" onSubmit={mark} aria-label="Mark as watched">
          <label>
            Watched on
            <input type="date" value={day} max={dayInput()} onChange={(e) => setDay(e.target.value)} />
          </label>
          <button type="submit" className="primary" disabled={action.busy}>
            {action.busy ? 'Saving…' : 'Mark as watched'}
          </button>
        </form>
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <ErrorNotice error={action.error} />
      <p className="muted small">Only you see this; everyone in the space keeps their own.</p>
    </section>
  );
}
