import { createMedia } from '../api/media';
import type { Watchlist, WatchlistEntry } from '../api/types';
import { getWatchlist, syncWatchlist } from '../api/watchlist';
import { useAction, useResource } from '../app/hooks';
import { Link } from '../app/navigation';
import { useNotices } from '../app/notices';
import { atLeast } from '../app/roles';
import { useSession } from '../app/session';
import { ErrorNotice, Page, ResourceStatus, formatDate } from '../app/ui';
import { Poster } from '../library/Poster';
import { NeedsRole } from '../space/NeedsRole';
import { entryKey, libraryInput, markOwned, providerNames } from './entries';
import { TraktLink } from './TraktLink';

/** How long a sync may run before the page stops waiting and reads what is there. */
const SYNC_WAIT_SECONDS = 30;

const TYPE_LABELS: Record<string, string> = { movie: 'Movie', tv_series: 'TV series', other: 'Other' };

function Entry({ entry, onAdd, busy }: { entry: WatchlistEntry; onAdd: () => void; busy: boolean }) {
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
            <button type="button" onClick={onAdd} disabled={busy} aria-label={`Add ${entry.title} to the library`}>
              Add to library
            </button>
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
  const sync = useAction();
  const add = useAction();
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
      <ResourceStatus state={list.state} onRetry={list.reload} label="Loading your watchlist…" />
      {watchlist &&
        (watchlist.items.length === 0 ? (
          <EmptyWatchlist />
        ) : (
          <ul className="watchlist" aria-label="Your watchlist">
            {watchlist.items.map((entry) => (
              <Entry key={entryKey(entry)} entry={entry} busy={add.busy} onAdd={() => void addToLibrary(entry, watchlist)} />
            ))}
          </ul>
        ))}
      <TraktLink onLinked={() => void syncNow()} />
    </Page>
  );
}
