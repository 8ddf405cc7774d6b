import { useState, type FormEvent } from 'react';
import { Link } from '../app/navigation';
import { ErrorNotice, FormButtons, SelectField } from '../app/ui';
import { FORMATS } from '../library/filters';
import { PRIORITIES, ownedTitleOf, type WishDraft } from './wishDraft';

const KINDS = [
  ['movie', 'Movie'],
  ['tv_series', 'TV series'],
  ['other', 'Other'],
] as const;

/** A wish's fields; a wish refused as already owned links to the title it is. */
export function WishForm({
  initial,
  submitLabel,
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  initial: WishDraft;
  submitLabel: string;
  busy: boolean;
  error: unknown;
  onSubmit: (draft: WishDraft) => void;
  onCancel?: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const owned = ownedTitleOf(error);
  const set = (change: Partial<WishDraft>) => setDraft({ ...draft, ...change });

  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit(draft);
  }

  return (
    <form className="form" onSubmit={submit} aria-label={submitLabel}>
      <label>
        Title
        <input type="text" value={draft.title} onChange={(e) => set({ title: e.target.value })} required maxLength={500} />
      </label>
      <div className="form-row">
        <SelectField label="Kind" value={draft.media_type} options={KINDS} onChange={(v) => set({ media_type: v as WishDraft['media_type'] })} />
        <label>
          Year
          <input type="number" min={1870} max={2100} value={draft.year} onChange={(e) => set({ year: e.target.value })} />
        </label>
      </div>
      <div className="form-row">
        <SelectField label="Priority" value={draft.priority} options={PRIORITIES} onChange={(v) => set({ priority: v })} />
        <SelectField
          label="Format wanted"
          value={draft.format_wanted}
          options={FORMATS}
          anyLabel="Any format"
          onChange={(v) => set({ format_wanted: v })}
        />
      </div>
      <label>
        Notes
        <textarea value={draft.notes} onChange={(e) => set({ notes: e.target.value })} maxLength={10000} rows={2} />
      </label>
      <ErrorNotice error={error} />
      {owned && (
        <p>
          <Link to={`/titles/${owned}`}>Open the title in the library</Link> to add a copy to it.
        </p>
      )}
      <FormButtons label={submitLabel} busy={busy} disabled={!draft.title.trim()} onCancel={onCancel} />
    </form>
  );
}
