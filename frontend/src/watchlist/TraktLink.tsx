import { useEffect, useRef, useState } from 'react';
import type { TraktDeviceCode, TraktLinkStatus } from '../api/types';
import { getTraktLink, pollTraktLink, startTraktLink, unlinkTrakt } from '../api/watchlist';
import { useAction, useResource } from '../app/hooks';
import { Link } from '../app/navigation';
import { useNotices } from '../app/notices';
import { useSession } from '../app/session';
import { ErrorNotice, ResourceStatus, formatDate } from '../app/ui';
import { followLink, type LinkOutcome } from './traktFlow';

// A link started earlier and left (a reload mid-flow) counts as not linked: starting again replaces it.
const BADGES: Record<TraktLinkStatus['status'], [style: string, text: string]> = {
  linked: ['ok', 'Linked'],
  cannot_decrypt: ['cannot_decrypt', 'Needs relinking'],
  not_linked: ['untested', 'Not linked'],
  pending: ['untested', 'Not linked'],
};

const ENDED: Record<Exclude<LinkOutcome, 'linked' | 'cancelled'>, string> = {
  expired: 'The code expired before it was entered at Trakt. Start again for a new code.',
  denied: 'The link was refused at Trakt. Start again if that was a mistake.',
};

/**
 * The caller's Trakt account in the active space, linked by Trakt's device flow: the user enters a
 * short code at Trakt while this panel polls. `onLinked` runs once a new link is made.
 */
export function TraktLink({ onLinked }: { onLinked?: () => void }) {
  const { permissions } = useSession();
  const status = useResource((signal) => getTraktLink(undefined, signal), []);
  const [code, setCode] = useState<TraktDeviceCode | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
  const action = useAction();
  const { notify } = useNotices();
  const polling = useRef<AbortController | null>(null);
  useEffect(() => () => polling.current?.abort(), []);

  async function link() {
    setEnded(null);
    const started = await action.run(() => startTraktLink());
    if (!started) return;
    setCode(started);
    const controller = new AbortController();
    polling.current = controller;
    const outcome = await action.run(() => followLink(() => pollTraktLink(), started.interval, controller.signal));
    if (controller.signal.aborted) return;
    setCode(null);
    if (outcome === 'linked') {
      notify('Trakt account linked.');
      status.reload();
      onLinked?.();
    } else if (outcome === 'expired' || outcome === 'denied') {
      setEnded(ENDED[outcome]);
    }
  }

  function cancel() {
    polling.current?.abort();
    setCode(null);
  }

  async function unlink() {
    if (!window.confirm('Unlink your Trakt account from this space? Its watchlist entries go at the next sync.')) return;
    // The DELETE answers 204 with no body: success is the action finishing without an error.
    const done = await action.run(async () => {
      await unlinkTrakt();
      return true;
    });
    if (done) {
      notify('Trakt account unlinked.');
      status.reload();
    }
  }

  const current = status.state.kind === 'ready' ? status.state.data : null;
  return (
    <section className="panel" aria-labelledby="trakt-link-title">
      <h2 id="trakt-link-title">
        Trakt account{' '}
        {current && <span className={`status status-${BADGES[current.status][0]}`}>{BADGES[current.status][1]}</span>}
      </h2>
      <ResourceStatus state={status.state} onRetry={status.reload} label="Checking your Trakt link…" />
      {current && !code && current.status === 'linked' && (
        <p>Your Trakt watchlist is read with this link{current.since ? ` (linked ${formatDate(current.since)})` : ''}.</p>
      )}
      {current && !code && current.status === 'cannot_decrypt' && <p className="error">{current.detail}</p>}
      {current && !code && current.status !== 'linked' && current.status !== 'cannot_decrypt' && !current.available && (
        <p className="muted">
          This space has no Trakt app yet: an owner or admin adds Trakt's client id and secret in{' '}
          {permissions.canManageSpace ? <Link to="/space/integrations">Integrations</Link> : 'Integrations'}.
        </p>
      )}
      {code && (
        <div role="status" className="device-code">
          <p>
            Open <a href={code.verification_url} target="_blank" rel="noreferrer">{code.verification_url}</a> and enter this code:
          </p>
          <p className="user-code" aria-label="Code to enter at Trakt">
            {code.user_code}
          </p>
          <p className="muted small">Waiting for Trakt… this page notices by itself when you are done.</p>
        </div>
      )}
      {ended && (
        <p role="alert" className="error">
          {ended}
        </p>
      )}
      <ErrorNotice error={action.error} />
      {current && (
        <div className="buttons">
          {code ? (
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          ) : current.status === 'linked' || current.status === 'cannot_decrypt' ? (
            <button type="button" className="danger" onClick={unlink} disabled={action.busy}>
              Unlink Trakt
            </button>
          ) : (
            current.available && (
              <button type="button" className="primary" onClick={link} disabled={action.busy}>
                Link Trakt account
              </button>
            )
          )}
        </div>
      )}
    </section>
  );
}
