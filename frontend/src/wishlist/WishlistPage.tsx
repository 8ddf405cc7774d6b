import { useCallback, useState } from 'react';
import type { Candidate } from '../api/types';
import { createWish, deleteWish, gotIt, listWishes, updateWish, type Wish } from '../api/wishlist';
import { TmdbSearch } from '../add/TmdbSearch';
import { useAction, useRowAction } from '../app/hooks';
import { LoadMore } from '../app/LoadMore';
import { navigate } from '../app/navigation';
import { useNotices } from '../app/notices';
import { formatTotal } from '../app/paging';
import { useSession } from '../app/session';
import { ErrorNotice, Loading, Page } from '../app/ui';
import { usePagedList } from '../app/usePagedList';
import { copyDraftToInput, type CopyDraft } from '../title/draft';
import { rememberCurrency } from '../title/purchase';
import { GotItForm } from './GotItForm';
import { WishForm } from './WishForm';
import { EMPTY_WISH, wishDraftFrom, wishDraftFromCandidate, wishDraftToInput, type WishDraft } from './wishDraft';

type Adding = { how: 'search' } | { how: 'form'; draft: WishDraft };
type Open = { id: string; what: 'edit' | 'got' } | null;

export function WishlistPage() {
  const { permissions } = useSession();
  const fetchPage = useCallback((cursor: string | null, signal: AbortSignal) => listWishes(cursor, undefined, signal), []);
  const { state, loadMore, retry, reload, remove, replace } = usePagedList<Wish>('wishlist', fetchPage);
  const { notify } = useNotices();
  const [adding, setAdding] = useState<Adding | null>(null);
  const [open, setOpen] = useState<Open>(null);
  const save = useAction();
  const row = useRowAction(notify);

  async function add(draft: WishDraft) {
    const created = await save.run(() => createWish(wishDraftToInput(draft)));
    if (created) {
      notify(`“${created.title}” is on the wishlist.`);
      setAdding(null);
      reload();
    }
  }

  async function edit(wish: Wish, draft: WishDraft) {
    const saved = await save.run(() => updateWish(wish.id, wishDraftToInput(draft)));
    if (saved) {
      notify(`“${saved.title}” saved.`);
      setOpen(null);
      // A new priority moves the wish: the list is read again in the server's order.
      if (saved.priority === wish.priority) replace(saved);
      else reload();
    }
  }

  async function drop(wish: Wish) {
    if (await row.act(wish.id, () => deleteWish(wish.id), `“${wish.title}” left the wishlist.`)) remove(wish.id);
  }

  async function got(wish: Wish, copy: CopyDraft) {
    const input = copyDraftToInput(copy);
    const answer = await save.run(() => gotIt(wish.id, input));
    if (answer) {
      rememberCurrency(input.purchase?.currency ?? '');
      notify(`“${answer.media.title}” is in the library now.`);
      navigate(`/titles/${answer.media.id}`);
    }
  }

  function toggle(next: Open) {
    save.clear();
    setOpen(open && next && open.id === next.id && open.what === next.what ? null : next);
  }

  return (
    <Page title="Wishlist">
      <p className="muted">
        Titles this space wants to own, most wanted first. This is not a watchlist: the Plex and Trakt watchlists say
        what to watch; the wishlist says what to buy. “Got it” adds the title and your copy to the library.
      </p>
      {permissions.canAddTitles && !adding && (
        <div className="buttons">
          <button type="button" className="primary" onClick={() => setAdding({ how: 'search' })}>
            Add from TMDB
          </button>
          <button type="button" onClick={() => setAdding({ how: 'form', draft: EMPTY_WISH })}>
            Add by hand
          </button>
        </div>
      )}
      {adding && (
        <section aria-labelledby="add-wish" className="wish-add">
          <h2 id="add-wish">Add a wish</h2>
          {adding.how === 'search' && (
            <TmdbSearch onPick={(candidate: Candidate) => setAdding({ how: 'form', draft: wishDraftFromCandidate(candidate) })} />
          )}
          {adding.how === 'form' && (
            <WishForm
              key={`${adding.draft.tmdb_id ?? ''}-${adding.draft.title}`}
              initial={adding.draft}
              submitLabel="Add to the wishlist"
              busy={save.busy}
              error={save.error}
              onSubmit={add}
              onCancel={() => {
                save.clear();
                setAdding(null);
              }}
            />
          )}
          {adding.how === 'search' && (
            <button type="button" onClick={() => setAdding(null)}>
              Cancel
            </button>
          )}
        </section>
      )}
      <ErrorNotice error={row.error} />
      {state.status === 'loading' && state.items.length === 0 && <Loading />}
      {state.status === 'failed' && state.items.length === 0 && <ErrorNotice error={state.error} onRetry={retry} />}
      {state.status === 'ready' && state.items.length === 0 && <p>The wishlist is empty.</p>}
      {state.items.length > 0 && (
        <>
          <p className="muted">{formatTotal(state.total, state.totalIsLowerBound, ['wish', 'wishes'])}</p>
          <ul className="rows" aria-label="Wishes">
            {state.items.map((wish) => (
              <li key={wish.id} className="row wish">
                <span>
                  <span className="badge" title="Priority (1 is wanted most)">
                    P{wish.priority}
                  </span>{' '}
                  <strong>{wish.title}</strong> {wish.year && <span className="muted">({wish.year})</span>}
                  {wish.format_wanted && <span className="muted small"> · {wish.format_wanted}</span>}
                  {wish.notes && <span className="muted small"> · {wish.notes}</span>}
                </span>
                {wish.can_edit && (
                  <span className="buttons">
                    <button type="button" className="primary" onClick={() => toggle({ id: wish.id, what: 'got' })} aria-label={`Got it: ${wish.title}`}>
                      Got it
                    </button>
                    <button type="button" onClick={() => toggle({ id: wish.id, what: 'edit' })} aria-label={`Edit ${wish.title}`}>
                      Edit
                    </button>
                    <button type="button" onClick={() => drop(wish)} disabled={row.busy === wish.id} aria-label={`Remove ${wish.title}`}>
                      {row.busy === wish.id ? 'Removing…' : 'Remove'}
                    </button>
                  </span>
                )}
                {open?.id === wish.id && (
                  <div className="inline-form">
                    {open.what === 'edit' ? (
                      <WishForm
                        initial={wishDraftFrom(wish)}
                        submitLabel="Save wish"
                        busy={save.busy}
                        error={save.error}
                        onSubmit={(draft) => edit(wish, draft)}
                        onCancel={() => toggle(null)}
                      />
                    ) : (
                      <GotItForm wish={wish} busy={save.busy} error={save.error} onSubmit={(copy) => got(wish, copy)} onCancel={() => toggle(null)} />
                    )}
                  </div>
                )}
              </li>
            ))}
          </ul>
          <LoadMore state={state} onLoadMore={loadMore} onRetry={retry} noun="wishes" />
        </>
      )}
    </Page>
  );
}
