/** "Watched" on a card or a row: the caller has watched the title. */
export function WatchedBadge({ watched }: { watched: boolean }) {
  if (!watched) return null;
  return <span className="badge watched-badge">Watched</span>;
}
