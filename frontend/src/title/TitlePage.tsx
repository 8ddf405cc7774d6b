import { useState } from 'react';
import { ApiError } from '../api/client';
import { deleteMedia, getMedia, restoreMedia, updateMedia } from '../api/media';
import { listSeasons } from '../api/seasons';
import { setActiveSpace } from '../api/spaces';
import type { Media } from '../api/types';
import { useAction, useResource } from '../app/hooks';
import { Link, navigate } from '../app/navigation';
import { useNotices } from '../app/notices';
import { useSession } from '../app/session';
import { ErrorNotice, Loading, Page, formatDate } from '../app/ui';
import { libraryHref } from '../library/filters';
import { Poster } from '../library/Poster';
import { backdropOf } from '../library/artwork';
import { PROVENANCE_LABELS, mediaTypeLabel, provenanceOf, runtimeLabel, seasonsLabel } from '../library/present';
import { AnnotationSection } from './AnnotationSection';
import { CastCrew } from './CastCrew';
import { CopiesSection } from './CopiesSection';
import { SeasonsSection } from './SeasonsSection';
import { CoverPanel } from './CoverPanel';
import { draftFromMedia, draftToInput } from './draft';
import { TagChips } from '../tags/TagChips';
import { spaceHolding } from './spaceHolding';
import { TitleForm } from './TitleForm';
import { TmdbPanel } from './TmdbPanel';
import { WatchedPanel } from './WatchedPanel';

function GenreLinks({ names }: { names: string[] }) {
  if (!names?.length) return <>—</>;
  return (
    <>
      {names.map((name, index) => (
        <span key={name}>
          {index > 0 && ', '}
          <Link to={libraryHref({ genre: name })}>{name}</Link>
        </span>
      ))}
    </>
  );
}

export function TitlePage({ id }: { id: string }) {
  const { me, permissions, refresh } = useSession();
  const { notify } = useNotices();
  // A link to a title of another of the user's spaces opens it there: that space becomes active.
  const { state, reload, set } = useResource(async (signal) => {
    try {
      return await getMedia(id, undefined, signal);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404) || !me) throw error;
      const found = await spaceHolding(id, me.spaces.filter((s) => s.id !== me.active_space?.id), undefined, signal);
      if (!found) throw error;
      await setActiveSpace(found.space.id);
      notify(`This title is in ${found.space.name}, which is now your active space.`);
      await refresh();
      return found.media;
    }
  }, [id]);
  const isShow = state.kind === 'ready' && state.data.media_type === 'tv_series';
  const seasonList = useResource(async (signal) => (isShow ? listSeasons(id, undefined, signal) : []), [id, isShow]);
  const [editing, setEditing] = useState(false);
  const save = useAction();
  const remove = useAction();

  if (state.kind === 'loading') return <Loading label="Loading title…" />;
  if (state.kind === 'failed') {
    return (
      <Page title="Title">
        <ErrorNotice error={state.error} onRetry={reload} />
        <Link to="/">Back to the library</Link>
      </Page>
    );
  }
  const media = state.data;
  const canEdit = permissions.canEditTitle(media);
  const backdrop = backdropOf(media);
  const seasons = media.media_type === 'tv_series' ? seasonsLabel(media.season_count, media.episode_count) : null;

  async function onSave(draft: Parameters<typeof draftToInput>[0]) {
    const updated = await save.run(() => updateMedia(media.id, draftToInput(draft)));
    if (updated) {
      // The answer has no characters (only the title's own read has): read it again for them.
      set({ ...media, ...updated, copies: updated.copies ?? media.copies, cast_characters: undefined });
      reload();
      setEditing(false);
      notify('Title saved.');
    }
  }

  async function onDelete() {
    const done = await remove.run(async () => {
      await deleteMedia(media.id);
      return true;
    });
    if (!done) return;
    navigate('/');
    notify(`“${media.title}” moved to the trash.`, {
      label: 'Undo',
      run: async () => {
        try {
          await restoreMedia(media.id);
          notify(`“${media.title}” restored.`);
          navigate(`/titles/${media.id}`);
        } catch {
          notify('Could not restore it. Open the Trash page to try again.');
        }
      },
    });
  }

  return (
    <Page
      title={media.title}
      actions={
        canEdit &&
        !editing && (
          <>
            <button type="button" onClick={() => setEditing(true)}>
              Edit title
            </button>
            <button type="button" className="danger" onClick={onDelete} disabled={remove.busy}>
              {remove.busy ? 'Moving to trash…' : 'Move to trash'}
            </button>
          </>
        )
      }
    >
      <ErrorNotice error={remove.error} />
      {editing ? (
        <TitleForm
          initial={draftFromMedia(media)}
          submitLabel="Save changes"
          busy={save.busy}
          error={save.error}
          onSubmit={onSave}
          onCancel={() => {
            save.clear();
            setEditing(false);
          }}
        />
      ) : (
        <div className="title-hero">
          {backdrop && <div className="title-backdrop" style={{ backgroundImage: `url("${backdrop}")` }} data-testid="backdrop" />}
          <div className="detail">
            <Poster media={media} large />
            <div>
              {media.original_title && media.original_title !== media.title && (
                <p className="muted">Original title: {media.original_title}</p>
              )}
              {media.overview && <p>{media.overview}</p>}
              <dl className="facts">
                <dt>Type</dt>
                <dd>{mediaTypeLabel(media.media_type)}</dd>
                <dt>Year</dt>
                <dd>{media.year ?? '—'}</dd>
                {seasons && (
                  <>
                    <dt>Seasons</dt>
                    <dd data-testid="seasons">{seasons}</dd>
                  </>
                )}
                <dt>Runtime</dt>
                <dd>{runtimeLabel(media.runtime_minutes)}</dd>
                <dt>Rating</dt>
                <dd>{media.rating ?? '—'}</dd>
                <dt>Genres</dt>
                <dd>
                  <GenreLinks names={media.genres} />
                </dd>
                <dt>Source</dt>
                <dd data-testid="provenance">{provenanceOf(media).map((p) => PROVENANCE_LABELS[p]).join(', ')}</dd>
                {media.tmdb_id && (
                  <>
                    <dt>TMDB</dt>
                    <dd>
                      {media.tmdb_media_type ?? 'movie'} {media.tmdb_id}
                    </dd>
                  </>
                )}
                {media.imdb_id && (
                  <>
                    <dt>IMDb</dt>
                    <dd>{media.imdb_id}</dd>
                  </>
                )}
                {media.notes && (
                  <>
                    <dt>Notes</dt>
                    <dd>{media.notes}</dd>
                  </>
                )}
                <dt>Added</dt>
                <dd>
                  {formatDate(media.created_at)}
                  {media.added_by_name && ` by ${media.added_by_name}`}
                </dd>
              </dl>
              {canEdit && <CoverPanel media={media} onChange={(next) => set(next)} />}
              {canEdit && (
                <TmdbPanel
                  media={media}
                  onChange={(next) => {
                    set({ ...media, ...next, cast_characters: undefined });
                    reload();
                  }}
                />
              )}
            </div>
          </div>
        </div>
      )}
      <TagChips media={media} canEdit={canEdit} onChange={(next) => set(next)} />
      <WatchedPanel key={media.watched_at ?? 'unwatched'} media={media} onChange={(watchedAt) => set({ ...media, watched_at: watchedAt })} />
      <CastCrew media={media} />
      <CopiesSection
        media={media}
        canEdit={canEdit}
        lendIn={permissions.canLend ? (me?.active_space?.id ?? null) : null}
        seasons={isShow ? (seasonList.state.kind === 'ready' ? seasonList.state.data : []) : null}
        onChange={(next: Media) => {
          set(next);
          // The seasons owned follow the copies; the server counts them.
          if (isShow) reload();
        }}
      />
      {isShow && seasonList.state.kind === 'ready' && (
        <SeasonsSection
          media={media}
          seasons={seasonList.state.data}
          canEdit={canEdit}
          onSaved={(saved) => {
            seasonList.set(saved);
            reload();
          }}
        />
      )}
      <AnnotationSection media={media} userId={me?.user.id} onSaved={reload} />
    </Page>
  );
}
