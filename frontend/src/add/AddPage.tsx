import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { listIntegrations } from '../api/integrations';
import { createMedia } from '../api/media';
import { tmdbDetails } from '../api/lookups';
import type { Candidate } from '../api/types';
import { useAction } from '../app/hooks';
import { navigate, useLocation } from '../app/navigation';
import { useNotices } from '../app/notices';
import { useSession } from '../app/session';
import { ErrorNotice, Loading, Page } from '../app/ui';
import { CopyFields } from '../title/CopyFields';
import { rememberCurrency } from '../title/purchase';
import {
  EMPTY_COPY,
  EMPTY_DRAFT,
  copyDraftToInput,
  draftFromCandidate,
  draftToInput,
  tmdbIdOf,
  tmdbMatchOf,
  tmdbTypeOf,
  type CopyDraft,
  type TitleDraft,
} from '../title/draft';
import { TitleForm } from '../title/TitleForm';
import { BarcodeLookup } from './BarcodeLookup';
import { CoverLookup } from './CoverLookup';
import { startMethod, type AddMethod } from './startMethod';
import { TmdbSearch } from './TmdbSearch';

const METHODS: ReadonlyArray<readonly [AddMethod, string]> = [
  ['manual', 'By hand'],
  ['tmdb', 'Search TMDB'],
  ['barcode', 'Barcode'],
  ['cover', 'Cover photo'],
];
type Method = AddMethod;

interface Picked {
  draft: TitleDraft;
  copy: CopyDraft;
}

export function AddPage() {
  const { me, permissions } = useSession();
  const { search } = useLocation();
  const requested = new URLSearchParams(search).get('method');
  // Cover recognition is a feature flag: its tab shows only while the instance has it on.
  const methods = METHODS.filter(([key]) => key !== 'cover' || permissions.canRecognizeCovers);
  const available = methods.map(([key]) => key);
  const initial = startMethod(requested, null, available);
  const [method, setMethod] = useState<Method>(initial);
  const [picked, setPicked] = useState<Picked | null>(initial === 'manual' ? { draft: EMPTY_DRAFT, copy: EMPTY_COPY } : null);
  const chosen = useRef(requested !== null);
  const spaceId = me?.active_space?.id ?? '';
  const canReadSettings = permissions.canManageSpace;

  // Owners and admins can read the space's settings: open on what works (by hand without a TMDB key).
  useEffect(() => {
    if (!canReadSettings || !spaceId || chosen.current) return undefined;
    let live = true;
    listIntegrations(spaceId)
      .then((settings) => {
        if (!live || chosen.current) return;
        const start = startMethod(null, settings, available);
        if (start === 'manual') choose('manual');
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [canReadSettings, spaceId]);

  function choose(key: Method) {
    setMethod(key);
    setPicked(key === 'manual' ? { draft: EMPTY_DRAFT, copy: EMPTY_COPY } : null);
  }
  const details = useAction();
  const save = useAction();
  const [withCopy, setWithCopy] = useState(true);
  const { notify } = useNotices();

  if (!permissions.canAddTitles) {
    return (
      <Page title="Add a title">
        <p role="alert" className="error">
          Your role in this space is viewer, so you cannot add titles. Ask an owner or admin of the space for the member role.
        </p>
      </Page>
    );
  }

  /** A lookup candidate: fetch the full TMDB details when it has a match, then let the user confirm. */
  async function pick(candidate: Candidate, copy: Partial<CopyDraft> = {}) {
    const match = tmdbMatchOf(candidate);
    const tmdbId = match ? tmdbIdOf(match) : null;
    let source: Candidate = match ?? candidate;
    if (match && tmdbId) {
      const full = await details.run(() => tmdbDetails(tmdbId, tmdbTypeOf(match)));
      if (full) source = { ...match, ...full, tmdb_id: tmdbIdOf(full) ?? tmdbId, tmdb_media_type: tmdbTypeOf(match) };
    }
    setPicked({ draft: draftFromCandidate(source), copy: { ...EMPTY_COPY, ...copy } });
  }

  async function submit(draft: TitleDraft) {
    if (!picked) return;
    const input = { ...draftToInput(draft), copies: withCopy ? [copyDraftToInput(picked.copy)] : [] };
    const created = await save.run(() => createMedia(input));
    if (created) {
      rememberCurrency(input.copies[0]?.purchase?.currency ?? '');
      notify(`“${created.title}” was added.`);
      navigate(`/titles/${created.id}`);
    }
  }

  function onTabKey(event: KeyboardEvent<HTMLButtonElement>, index: number) {
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!delta) return;
    const next = methods[(index + delta + methods.length) % methods.length];
    if (next) {
      chosen.current = true;
      choose(next[0]);
      document.getElementById(`tab-${next[0]}`)?.focus();
    }
  }

  return (
    <Page title="Add a title">
      <div role="tablist" aria-label="How to add" className="tabs">
        {methods.map(([key, label], index) => (
          <button
            key={key}
            id={`tab-${key}`}
            type="button"
            role="tab"
            aria-selected={method === key}
            aria-controls={`panel-${key}`}
            tabIndex={method === key ? 0 : -1}
            onClick={() => {
              chosen.current = true;
              choose(key);
            }}
            onKeyDown={(event) => onTabKey(event, index)}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${method}`} aria-labelledby={`tab-${method}`} className="tabpanel">
        {!picked && method === 'tmdb' && <TmdbSearch onPick={(c) => pick(c)} />}
        {!picked && method === 'barcode' && <BarcodeLookup onPick={(c, upc) => pick(c, { barcode: upc })} />}
        {!picked && method === 'cover' && permissions.canRecognizeCovers && <CoverLookup onPick={(c) => pick(c)} />}
        {details.busy && <Loading label="Fetching details from TMDB…" />}
        <ErrorNotice error={details.error} />
        {picked && (
          <section aria-labelledby="confirm-title">
            <h2 id="confirm-title">{method === 'manual' ? 'Enter the details' : 'Check the details and save'}</h2>
            <TitleForm
              key={`${picked.draft.tmdb_id ?? ''}-${picked.draft.title}`}
              initial={picked.draft}
              submitLabel="Save title"
              busy={save.busy}
              error={save.error}
              onSubmit={submit}
              onCancel={method === 'manual' ? undefined : () => setPicked(null)}
            >
              <fieldset>
                <legend>My copy</legend>
                <label className="check">
                  <input type="checkbox" checked={withCopy} onChange={(e) => setWithCopy(e.target.checked)} />
                  Record a copy I own
                </label>
                {withCopy && <CopyFields value={picked.copy} onChange={(copy) => setPicked({ ...picked, copy })} />}
              </fieldset>
            </TitleForm>
          </section>
        )}
      </div>
    </Page>
  );
}
