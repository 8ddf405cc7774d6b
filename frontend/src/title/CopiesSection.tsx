import { useState, type FormEvent } from 'react';
import { addCopy, removeCopy, updateCopy } from '../api/media';
import { listMembers } from '../api/spaces';
import type { Copy, Media, Season } from '../api/types';
import { useAction, useResource } from '../app/hooks';
import { ErrorNotice } from '../app/ui';
import { seasonNumbersLabel } from '../library/present';
import { CopyFields } from './CopyFields';
import { EMPTY_COPY, copyDraftFrom, copyDraftToInput, type CopyDraft } from './draft';
import { LoanPanel } from './LoanPanel';
import { copyPurchaseLine, rememberCurrency } from './purchase';

function CopyForm({
  initial,
  label,
  busy,
  seasons,
  onSubmit,
  onCancel,
}: {
  initial: CopyDraft;
  label: string;
  busy: boolean;
  seasons: Season[] | null;
  onSubmit: (draft: CopyDraft) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(draft);
  };
  return (
    <form className="form inline-form" onSubmit={submit} aria-label={label}>
      <CopyFields value={draft} onChange={setDraft} seasons={seasons} />
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : label}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function describeCopy(copy: Copy): string {
  const held = seasonNumbersLabel(copy.season_numbers);
  return [held, copy.edition, copy.resolution?.toUpperCase(), copy.region && `Region ${copy.region}`, copy.location]
    .filter(Boolean)
    .join(' · ');
}

export function CopiesSection({
  media,
  canEdit,
  lendIn,
  seasons,
  onChange,
}: {
  media: Media;
  canEdit: boolean;
  /** A show's recorded seasons, which a copy may hold; null for a title that is not a show. */
  seasons: Season[] | null;
  /** The space whose members may borrow, when the caller may lend (members and above). */
  lendIn: string | null;
  onChange: (m: Media) => void;
}) {
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const action = useAction();
  const copies = media.copies ?? [];
  const members = useResource(async () => (lendIn ? listMembers(lendIn) : []), [lendIn]);
  const replaceCopy = (copy: Copy) => onChange({ ...media, copies: copies.map((c) => (c.id === copy.id ? copy : c)) });

  async function create(draft: CopyDraft) {
    const input = copyDraftToInput(draft);
    const copy = await action.run(() => addCopy(media.id, input));
    if (copy) {
      rememberCurrency(input.purchase?.currency ?? '');
      onChange({ ...media, copies: [...copies, copy] });
      setEditing(null);
    }
  }
  async function save(copyId: string, draft: CopyDraft) {
    const input = copyDraftToInput(draft);
    const copy = await action.run(() => updateCopy(media.id, copyId, input));
    if (copy) {
      rememberCurrency(input.purchase?.currency ?? '');
      onChange({ ...media, copies: copies.map((c) => (c.id === copyId ? { ...c, ...copy } : c)) });
      setEditing(null);
    }
  }
  async function remove(copy: Copy) {
    if (!window.confirm(`Remove this ${copy.format} copy?`)) return;
    const done = await action.run(async () => {
      await removeCopy(media.id, copy.id);
      return true;
    });
    if (done) onChange({ ...media, copies: copies.filter((c) => c.id !== copy.id) });
  }

  return (
    <section aria-labelledby="copies-title">
      <h2 id="copies-title">Copies</h2>
      <ErrorNotice error={action.error} />
      {copies.length === 0 && <p className="muted">No copies recorded.</p>}
      <ul className="copies">
        {copies.map((copy) => (
          <li key={copy.id} className="copy">
            {editing === copy.id ? (
              <CopyForm
                initial={copyDraftFrom(copy)}
                label="Save copy"
                busy={action.busy}
                seasons={seasons}
                onSubmit={(draft) => save(copy.id, draft)}
                onCancel={() => setEditing(null)}
              />
            ) : (
              <>
                <span>
                  <strong>{copy.format}</strong> {describeCopy(copy)}
                  {copy.barcode && <span className="muted small"> · Barcode {copy.barcode}</span>}
                  {copy.source_provider && <span className="badge">{copy.source_provider}</span>}
                  {copyPurchaseLine(copy) && (
                    <span className="copy-purchase muted small" data-testid="copy-purchase">
                      {copyPurchaseLine(copy)}
                    </span>
                  )}
                </span>
                {canEdit && (
                  <span className="buttons">
                    <button type="button" onClick={() => setEditing(copy.id)} aria-label={`Edit ${copy.format} copy`}>
                      Edit
                    </button>
                    <button type="button" onClick={() => remove(copy)} aria-label={`Remove ${copy.format} copy`}>
                      Remove
                    </button>
                  </span>
                )}
                <LoanPanel copy={copy} members={members.state.data ?? []} canLend={!!lendIn} onChange={replaceCopy} />
              </>
            )}
          </li>
        ))}
      </ul>
      {canEdit &&
        (editing === 'new' ? (
          <CopyForm
            initial={EMPTY_COPY}
            label="Add copy"
            busy={action.busy}
            seasons={seasons}
            onSubmit={create}
            onCancel={() => setEditing(null)}
          />
        ) : (
          <button type="button" onClick={() => setEditing('new')}>
            Add a copy
          </button>
        ))}
    </section>
  );
}
