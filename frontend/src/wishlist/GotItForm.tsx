import { useState, type FormEvent } from 'react';
import type { Wish } from '../api/wishlist';
import { ErrorNotice, FormButtons } from '../app/ui';
import { CopyFields } from '../title/CopyFields';
import { gotItCopy } from './wishDraft';

/** "Got it": the copy bought (format, location ...), recorded with the title in one step. */
export function GotItForm({
  wish,
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  wish: Wish;
  busy: boolean;
  error: unknown;
  onSubmit: (copy: ReturnType<typeof gotItCopy>) => void;
  onCancel: () => void;
}) {
  const [copy, setCopy] = useState(() => gotItCopy(wish));

  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit(copy);
  }

  return (
    <form className="form" onSubmit={submit} aria-label={`Got ${wish.title}`}>
      <p className="muted">The title joins the library with this copy, and leaves the wishlist.</p>
      <CopyFields value={copy} onChange={setCopy} />
      <ErrorNotice error={error} />
      <FormButtons label="Add to the library" busy={busy} onCancel={onCancel} />
    </form>
  );
}
