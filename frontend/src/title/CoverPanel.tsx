import { useRef } from 'react';
import { removeCover, setCover } from '../api/covers';
import { getMedia } from '../api/media';
import type { Media } from '../api/types';
import { useAction } from '../app/hooks';
import { useNotices } from '../app/notices';
import { ErrorNotice } from '../app/ui';

// What the server keeps; naming them (not image/*) also makes phones hand over a camera photo as a JPEG.
const ACCEPTED = 'image/jpeg,image/png,image/webp';

/** Upload or remove the title's own cover; on a phone the picker offers the camera too. */
export function CoverPanel({ media, onChange }: { media: Media; onChange: (next: Media) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const upload = useAction();
  const remove = useAction();
  const { notify } = useNotices();
  const hasCover = !!media.cover_urls;

  async function onFile(file: File | undefined) {
    if (!file) return;
    remove.clear();
    const updated = await upload.run(() => setCover(media.id, file));
    if (input.current) input.current.value = '';
    if (updated) {
      onChange({ ...media, ...updated, copies: updated.copies ?? media.copies });
      notify('Cover saved.');
    }
  }

  async function onRemove() {
    upload.clear();
    // Read back: the poster falls back to the TMDB or Plex one, which only the server knows.
    const fresh = await remove.run(async () => {
      await removeCover(media.id);
      return getMedia(media.id);
    });
    if (fresh) {
      onChange(fresh);
      notify('Cover removed.');
    }
  }

  return (
    <div className="cover-panel" data-testid="cover-panel">
      <label className={`button${upload.busy ? ' disabled' : ''}`}>
        {upload.busy ? 'Uploading…' : hasCover ? 'Replace cover' : 'Upload cover'}
        <input
          ref={input}
          type="file"
          accept={ACCEPTED}
          className="visually-hidden"
          disabled={upload.busy}
          onChange={(event) => onFile(event.target.files?.[0])}
          data-testid="cover-input"
        />
      </label>
      {hasCover && (
        <button type="button" className="danger" onClick={onRemove} disabled={remove.busy}>
          {remove.busy ? 'Removing…' : 'Remove cover'}
        </button>
      )}
      <ErrorNotice error={upload.error ?? remove.error} />
    </div>
  );
}
