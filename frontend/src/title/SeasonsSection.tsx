import { useState, type FormEvent } from 'react';
import { saveSeasons } from '../api/seasons';
import type { Media, Season } from '../api/types';
import { useAction } from '../app/hooks';
import { ErrorNotice } from '../app/ui';
import { ownedSeasonsLabel } from '../library/present';
import { nextSeasonDraft, seasonDraftsFrom, seasonDraftsToInput, type SeasonDraft } from './seasonDraft';

function SeasonsForm({
  initial,
  busy,
  onSubmit,
  onCancel,
}: {
  initial: Season[];
  busy: boolean;
  onSubmit: (drafts: SeasonDraft[]) => void;
  onCancel: () => void;
}) {
  const [drafts, setDrafts] = useState(() => seasonDraftsFrom(initial));
  const change = (index: number, field: keyof SeasonDraft, text: string) =>
    setDrafts(drafts.map((draft, i) => (i === index ? { ...draft, [field]: text } : draft)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(drafts);
  };
  const field = (index: number, key: keyof SeasonDraft, label: string, type = 'number') => (
    <label>
      {label}
      <input
        type={type}
        inputMode={type === 'number' ? 'numeric' : undefined}
        value={drafts[index]![key]}
        onChange={(event) => change(index, key, event.target.value)}
      />
    </label>
  );
  return (
    <form className="form inline-form" onSubmit={submit} aria-label="Edit seasons">
      <p className="muted small">Season 0 is the specials. A blank name becomes “Season N”.</p>
      <ol className="season-rows">
        {drafts.map((draft, index) => (
          <li key={index} className="season-row" aria-label={`Season row ${index + 1}`}>
            {field(index, 'number', 'Number')}
            {field(index, 'name', 'Name', 'text')}
            {field(index, 'year', 'Year')}
            {field(index, 'episode_count', 'Episodes')}
            <button
              type="button"
              onClick={() => setDrafts(drafts.filter((_, i) => i !== index))}
              aria-label={`Remove season ${draft.number}`}
            >
              Remove
            </button>
          </li>
        ))}
      </ol>
      <div className="buttons">
        <button type="button" onClick={() => setDrafts([...drafts, nextSeasonDraft(drafts)])}>
          Add a season
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save seasons'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** A show's seasons: which ones the space's copies hold, edited by hand by whoever may edit the title. */
export function SeasonsSection({
  media,
  seasons,
  canEdit,
  onSaved,
}: {
  media: Media;
  seasons: Season[];
  canEdit: boolean;
  onSaved: (seasons: Season[]) => void;
}) {
  const [editing, setEditing] = useState(false);
  const action = useAction();
  const held = new Set((media.copies ?? []).flatMap((copy) => copy.season_numbers ?? []));
  const owned = ownedSeasonsLabel(media.seasons_owned, media.seasons_total);

  async function save(drafts: SeasonDraft[]) {
    const saved = await action.run(() => saveSeasons(media.id, seasonDraftsToInput(drafts)));
    if (saved) {
      onSaved(saved);
      setEditing(false);
    }
  }

  return (
    <section aria-labelledby="seasons-title" className="seasons">
      <h2 id="seasons-title">Seasons</h2>
      {owned && <p data-testid="seasons-owned">{owned}</p>}
      <ErrorNotice error={action.error} />
      {editing ? (
        <SeasonsForm initial={seasons} busy={action.busy} onSubmit={save} onCancel={() => setEditing(false)} />
      ) : (
        <>
          {seasons.length === 0 ? (
            <p className="muted">No seasons recorded{canEdit ? ': add them by hand, or match the show to TMDB.' : '.'}</p>
          ) : (
            <div className="table-wrap">
              <table className="dense" aria-label="Seasons">
                <thead>
                  <tr>
                    <th scope="col">Season</th>
                    <th scope="col">Year</th>
                    <th scope="col">Episodes</th>
                    <th scope="col">Owned</th>
                  </tr>
                </thead>
                <tbody>
                  {seasons.map((season) => (
                    <tr key={season.number}>
                      <th scope="row">{season.name}</th>
                      <td>{season.year ?? '—'}</td>
                      <td>{season.episode_count ?? '—'}</td>
                      <td>{held.has(season.number) ? 'Yes' : 'No'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {canEdit && (
            <button type="button" onClick={() => setEditing(true)}>
              Edit seasons
            </button>
          )}
        </>
      )}
    </section>
  );
}
