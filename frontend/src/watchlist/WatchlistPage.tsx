import { useMemo, useState } from 'react';
import { ApiError } from '../api/client';
import { createMedia } from '../api/media';
import type { Watchlist, WatchlistEntry } from '../api/types';
import { getWatchlist, syncWatchlist } from '../api/watchlist';
import { createWish, listWishes, type Wish } from '../api/wishlist';
import { useAction, useResource } from '../app/hooks';
import { Link } from '../app/navigation';
import { useNotices } from '../app/notices';
import { atLeast } from '../app/roles';
import { useSession } from '../app/session';
import { ErrorNotice, Page, ResourceStatus, formatDate } from '../app/ui';
import { Poster } from '../library/Poster';
import { NeedsRole } from '../space/NeedsRole';
import { entryKey, libraryInput, markOwned, providerNames, wishInput, wishKey, wishedKeys } from './entries';
import { TraktLink } from './TraktLink';

/** How long a sync may run before the page stops waiting and reads what is there. */
const SYNC_WAIT_SECONDS = 30;

const TYPE_LABELS: Record<string, string> = { movie: 'Movie', tv_series: 'TV series', other: 'Other' };
/** Wishes read to mark the entries already wished for (a page of the API holds 200). */
const WISH_PAGES = 10;

/** The space's wishes, page after page, up to WISH_PAGES pages. */
async function allWishes(signal: AbortSignal): Promise<Wish[]> {
  const wishes: Wish[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < WISH_PAGES; page += 1) {
    const answer = await listWishes(cursor, undefined, signal, 200);
    wishes.push(...answer.items);
    cursor = answer.next_cursor;
    if (!cursor) break;
  }
  return wishes;
}

interface EntryProps {
  entry: WatchlistEntry;
  wished: boolean;
  busy: boolean;
  onAdd: () => void;
  onWish: () => void;
}

function WishAction({ entry, wished, busy, onWish }: Omit<EntryProps, 'onAdd'>) {
  if (wished) {
    return (
      <Link to="/wishlist" className="badge">
        On wishlist
      </Link>
    );
  }
  return (
    <button type="button" onClick={onWish} disabled={busy} aria-label={`Add ${entry.title} to the wishlist`}>
      Add to wishlist
    </button>
  );
}

function Entry({ entry, wished, busy, onAdd, onWish }: EntryProps) {
  const { permissions } = useSession();
  return (
    <li className="watchlist-entry">
      <Poster media={entry} />
      <div className="watchlist-body">
        <h2 className="card-title">
          {entry.title}
          {entry.year && <span className="muted"> ({entry.year})</span>}
        </h2>
        <p className="card-meta">
          {TYPE_LABELS[entry.media_type] ?? entry.media_type} · On{' '}
          {providerNames(entry).map((name) => (
            <span key={name} className="badge">
              {name}
            </span>
          ))}
        </p>
        {entry.owned ? (
          <p>
            <span className="badge ok">Owned here</span>{' '}
            {entry.media_id && <Link to={`/titles/${entry.media_id}`}>Open in the library</Link>}
          </p>
        ) : entry.owned === null ? (
          <p className="muted small">Whether this space holds it could not be checked.</p>
        ) : (
          permissions.canAddTitles && (
            <p className="buttons">
              <button type="button" onClick={onAdd} disabled={busy} aria-label={`Add ${entry.title} to the library`}>
                Add to library
              </button>
              <WishAction entry={entry} wished={wished} busy={busy} onWish={onWish} />
            </p>
          )
        )}
      </div>
    </li>
  );
}

function EmptyWatchlist() {
  const { permissions } = useSession();
  return (
    <div className="empty">
      <h2>Your watchlist is empty</h2>
      <p>
        Titles you add to your watchlist on Plex or Trakt appear here after a sync. Link your Trakt account below; Plex's
        watchlist is read with the space's Plex account
        {permissions.canManageSpace ? (
          <>
            , set in <Link to="/space/integrations">Integrations</Link>
          </>
        ) : (
          ' (an owner or admin sets it in Integrations)'
        )}
        . Then choose <strong>Sync now</strong>.
      </p>
    </div>
  );
}

export function WatchlistPage() {
  const { me, permissions } = useSession();
  // Not asked while the page is closed to the user: the server would refuse it anyway.
  const allowed = permissions.canUseWatchlist;
  const list = useResource((signal) => (allowed ? getWatchlist(undefined, signal) : Promise.resolve(null)), [allowed]);
  const wishes = useResource((signal) => (allowed ? allWishes(signal) : Promise.resolve([])), [allowed]);
  const [wishedNow, setWishedNow] = useState<ReadonlySet<string>>(new Set());
  const wished = useMemo(
    () => new Set([...wishedKeys(wishes.state.data ?? []), ...wishedNow]),
    [wishes.state.data, wishedNow],
  );
  const sync = useAction();
  const add = useAction();
  const wish = useAction();
  const { notify } = useNotices();

  if (!allowed) {
    return (
      <Page title="Watchlist">
        {atLeast(permissions.role, 'member') ? (
          <p role="alert" className="error">
            The watchlist is turned off on this Shelfspace install; an administrator of the install can turn it on in Flags.
          </p>
        ) : (
          <NeedsRole what="keep a watchlist here" role="members, admins and owners" />
        )}
      </Page>
    );
  }

  async function syncNow() {
    const job = await sync.run(() => syncWatchlist(SYNC_WAIT_SECONDS));
    if (!job) return;
    if (job.status === 'failed') notify(`The sync failed: ${job.error ?? 'see the import jobs'}.`);
    else if (job.status !== 'succeeded') notify('The sync is still running; the list shows what it has copied so far.');
    list.reload();
  }

  async function addToLibrary(entry: WatchlistEntry, watchlist: Watchlist) {
    const created = await add.run(() => createMedia(libraryInput(entry)));
    if (!created) return;
    list.set({ ...watchlist, items: markOwned(watchlist.items, entry, created.id) });
    notify(`${entry.title} added to ${me?.active_space?.name ?? 'the library'}.`);
  }

  async function addToWishlist(entry: WatchlistEntry) {
    const created = await wish.run(async () => {
      try {
        return await createWish(wishInput(entry));
      } catch (error) {
        // Wished for already (by someone else, since the page was read): it is on the wishlist.
        if (error instanceof ApiError && error.code === 'already_wished') return null;
        throw error;
      }
    });
    if (created === undefined) return;
    setWishedNow((current) => new Set([...current, wishKey(entry)]));
    notify(created ? `${entry.title} added to the wishlist.` : `${entry.title} is already on the wishlist.`);
  }

  const watchlist = list.state.kind === 'ready' ? list.state.data : null;
  const actions = (
    <button type="button" className="primary" onClick={syncNow} disabled={sync.busy}>
      {sync.busy ? 'Syncing…' : 'Sync now'}
    </button>
  );
  return (
    <Page title="Watchlist" actions={actions}>
      <p className="muted">
        What you want to watch, from Plex and Trakt, marked where {me?.active_space?.name ?? 'this space'} already owns it.
        {watchlist?.synced_at && ` Last synced ${formatDate(watchlist.synced_at)}.`}
      </p>
      <ErrorNotice error={sync.error} />
      <ErrorNotice error={add.error} />
      <ErrorNotice error={wish.error} />
      <ResourceStatus state={list.state} onRetry={list.reload} label="Loading your watchlist…" />
      {watchlist &&
        (watchlist.items.length === 0 ? (
          <EmptyWatchlist />
        ) : (
          <ul className="watchlist" aria-label="Your watchlist">
            {watchlist.items.map((entry) => (
              <Entry
                key={entryKey(entry)}
                entry={entry}
                wished={wished.has(wishKey(entry))}
                busy={add.busy || wish.busy}
                onAdd={() => void addToLibrary(entry, watchlist)}
                onWish={() => void addToWishlist(entry)}
              />
            ))}
          </ul>
        ))}
      <TraktLink onLinked={() => void syncNow()} />
    </Page>
  );
}
