import { useState } from 'react';
import { setActiveSpace } from '../api/spaces';
import { Link, navigate } from '../app/navigation';
import { useSession } from '../app/session';
import { describeError } from '../app/errors';

/** The active space, always shown: its name, or a chooser when the user has several. */
export function SpaceSwitcher() {
  const { me, refresh } = useSession();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (!me) return null;
  if (me.spaces.length < 2) {
    return (
      <Link className="space-name" to="/spaces" title="Your spaces">
        <span className="visually-hidden">Active space: </span>
        {me.active_space?.name ?? 'No space'}
      </Link>
    );
  }

  async function change(spaceId: string) {
    setBusy(true);
    setProblem(null);
    try {
      await setActiveSpace(spaceId);
      await refresh();
      navigate('/');
    } catch (error) {
      setProblem(describeError(error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <label className="space-switcher">
      <span className="visually-hidden">Active space</span>
      <select value={me.active_space?.id ?? ''} onChange={(e) => change(e.target.value)} disabled={busy} aria-label="Active space">
        {!me.active_space && <option value="">Choose a space</option>}
        {me.spaces.map((space) => (
          <option key={space.id} value={space.id}>
            {space.name}
          </option>
        ))}
      </select>
      {problem && (
        <span role="alert" className="field-error">
          {problem}
        </span>
      )}
    </label>
  );
}
