import { useCallback } from 'react';
import { listTrash, restoreMedia } from '../api/media';
import type { Media } from '../api/types';
import { useRowAction } from '../app/hooks';
import { LoadMore } from '../app/LoadMore';
import { Link } from '../app/navigation';
import { useNotices } from '../app/notices';
import { formatTotal } from '../app/paging';
import { ErrorNotice, Loading, Page, formatDate } from '../app/ui';
import { usePagedList } from '../app/usePagedList';

export function TrashPage() {
  const fetchPage = useCallback((cursor: string | null) => listTrash(cursor), []);
  const { state, loadMore, retry, remove } = usePagedList<Media>('trash', fetchPage);
  const { notify } = useNotices();
  const row = useRowAction(notify);
  const busyId = row.busy;
  const error = row.error;

  async function restore(media: Media) {
    if (await row.act(media.id, () => restoreMedia(media.id), `“${media.title}” restored to the library.`)) remove(media.id);
  }

  return (
    <Page title="Trash">
      <p className="muted">Titles moved to the trash stay here for a while, then are deleted for good.</p>
      <ErrorNotice error={error} />
      {state.status === 'loading' && state.items.length === 0 && <Loading />}
      {state.status === 'failed' && state.items.length === 0 && <ErrorNotice error={state.error} onRetry={retry} />}
      {state.status === 'ready' && state.items.length === 0 && <p>The trash is empty.</p>}
      {state.items.length > 0 && (
        <>
          <p className="muted">{formatTotal(state.total, state.totalIsLowerBound, ['title', 'titles'])} in the trash</p>
          <ul className="rows" aria-label="Titles in the trash">
            {state.items.map((media) => (
              <li key={media.id} className="row">
                <span>
                  <strong>{media.title}</strong> {media.year && <span className="muted">({media.year})</span>}
                  {media.deleted_at && <span className="muted small"> · deleted {formatDate(media.deleted_at)}</span>}
                </span>
                <button
                  type="button"
                  onClick={() => restore(media)}
                  disabled={busyId === media.id}
                  aria-label={`Restore ${media.title}`}
                >
                  {busyId === media.id ? 'Restoring…' : 'Restore'}
                </button>
              </li>
            ))}
          </ul>
          <LoadMore state={state} onLoadMore={loadMore} onRetry={retry} noun="titles" />
        </>
      )}
      <p>
        <Link to="/">Back to the library</Link>
      </p>
    </Page>
  );
}
