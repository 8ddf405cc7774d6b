import { useState } from 'react';
import { listDuplicates, mergeMedia, revertMerge } from '../api/media';
import { spaceActivity } from '../api/spaces';
import type { DuplicateGroup } from '../api/types';
import { useResource } from '../app/hooks';
import { Link } from '../app/navigation';
import { useNotices } from '../app/notices';
import { useSession } from '../app/session';
import { ErrorNotice, Page, formatDate, ResourceStatus } from '../app/ui';
import { formatsOf } from '../library/present';
import { groupItems, groupKey, groupReasons, suggestSurvivor } from './reasons';

interface MergeRecord {
  mergeId: string;
  title: string;
  at: string;
  reverted?: boolean;
}

function Group({
  group,
  index,
  canMerge,
  onMerged,
}: {
  group: DuplicateGroup;
  index: number;
  canMerge: boolean;
  onMerged: (record: MergeRecord) => void;
}) {
  const items = groupItems(group);
  const [survivor, setSurvivor] = useState(suggestSurvivor(items)?.id ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const headingId = `group-${index}`;

  async function merge() {
    setBusy(true);
    setError(null);
    try {
      const others = items.filter((m) => m.id !== survivor).map((m) => m.id);
      const result = await mergeMedia(survivor, others);
      onMerged({ mergeId: result.merge_id, title: result.media?.title ?? '', at: new Date().toISOString() });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel group" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {items[0]?.title ?? 'Group'} <span className="muted small">({items.length} titles)</span>
      </h2>
      <p>
        Why: {groupReasons(group).join(', ') || 'similar titles'}
      </p>
      <fieldset className="radios">
        <legend>{canMerge ? 'Keep which title?' : 'Titles'}</legend>
        {items.map((media) => (
          <label key={media.id} className="check">
            {canMerge && (
              <input type="radio" name={`survivor-${headingId}`} checked={survivor === media.id} onChange={() => setSurvivor(media.id)} />
            )}
            <span>
              <Link to={`/titles/${media.id}`}>{media.title}</Link> {media.year && `(${media.year})`}{' '}
              <span className="muted small">
                {[formatsOf(media).join(', ') || 'no copies', media.tmdb_id && `TMDB ${media.tmdb_id}`, `added ${formatDate(media.created_at)}`]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      <ErrorNotice error={error} />
      {canMerge && (
        <button type="button" className="primary" onClick={merge} disabled={busy || !survivor}>
          {busy ? 'Merging…' : 'Merge into the selected title'}
        </button>
      )}
    </section>
  );
}

export function DuplicatesPage() {
  const { me, permissions } = useSession();
  const spaceId = me?.active_space?.id ?? '';
  const groups = useResource(() => listDuplicates(), [spaceId]);
  const history = useResource<MergeRecord[]>(
    async () => {
      if (!permissions.canManageSpace) return [];
      const page = await spaceActivity(spaceId, { action: 'library.media.merged' }, null);
      return page.items
        .map((row) => ({
          mergeId: String(row.details?.merge_id ?? ''),
          title: String(row.details?.title ?? row.details?.survivor_title ?? row.entity_id ?? ''),
          at: row.created_at,
        }))
        .filter((r) => r.mergeId);
    },
    [spaceId, permissions.canManageSpace],
  );
  const [recent, setRecent] = useState<MergeRecord[]>([]);
  const [revertError, setRevertError] = useState<unknown>(null);
  const { notify } = useNotices();

  async function revert(record: MergeRecord) {
    setRevertError(null);
    try {
      await revertMerge(record.mergeId);
      setRecent((all) => [...all.filter((r) => r.mergeId !== record.mergeId), { ...record, reverted: true }]);
      notify('The merge was reverted; the titles are back as they were.');
      groups.reload();
      history.reload();
    } catch (caught) {
      setRevertError(caught);
    }
  }

  function onMerged(record: MergeRecord) {
    setRecent((all) => [record, ...all]);
    notify(`Merged into “${record.title}”.`, { label: 'Undo merge', run: () => revert(record) });
    groups.reload();
    history.reload();
  }

  const known = new Set(recent.map((r) => r.mergeId));
  const merges = [...recent, ...(history.state.data ?? []).filter((r) => !known.has(r.mergeId))];

  return (
    <Page title="Duplicates">
      <p className="muted">Titles that look like the same film or series. Merging moves copies, ratings and notes to the title you keep.</p>
      <ResourceStatus state={groups.state} onRetry={groups.reload} label="Looking for duplicates…" />
      {groups.state.kind === 'ready' && groups.state.data.length === 0 && <p role="status">No duplicates found.</p>}
      {groups.state.kind === 'ready' &&
        groups.state.data.map((group, index) => (
          <Group key={groupKey(group)} group={group} index={index} canMerge={permissions.canMerge} onMerged={onMerged} />
        ))}
      {permissions.canMerge && (
        <section aria-labelledby="merge-history">
          <h2 id="merge-history">Merge history</h2>
          <ErrorNotice error={revertError} />
          {merges.length === 0 ? (
            <p className="muted">No merges yet.</p>
          ) : (
            <ul className="rows" aria-label="Merges">
              {merges.map((record) => (
                <li key={record.mergeId} className="row">
                  <span>
                    {record.title ? `Merged into “${record.title}”` : 'Merge'} · {formatDate(record.at)}
                  </span>
                  {record.reverted ? (
                    <span className="muted">Reverted</span>
                  ) : (
                    <button type="button" onClick={() => revert(record)} aria-label={`Revert merge into ${record.title || record.mergeId}`}>
                      Revert
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </Page>
  );
}
