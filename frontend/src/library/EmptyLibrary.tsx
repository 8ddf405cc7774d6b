import { Link } from '../app/navigation';
import type { Permissions } from '../app/roles';

/** The first screen of an empty space: the ways to fill it, each one click away. */
export function EmptyLibrary({ spaceName, permissions }: { spaceName: string; permissions: Permissions }) {
  if (!permissions.canAddTitles) {
    return (
      <div className="empty first-run">
        <h2>{spaceName} has no titles yet</h2>
        <p>When its members add titles, they appear here.</p>
      </div>
    );
  }
  return (
    <div className="empty first-run">
      <h2>{spaceName} has no titles yet</h2>
      <p>Add what you own — one title at a time or all at once:</p>
      <ul className="ways-to-add">
        <li>
          <Link to="/add?method=manual" className="button primary">
            Add by hand
          </Link>
          <span className="muted small">Type a title and its details; works without any setup.</span>
        </li>
        <li>
          <Link to="/add?method=tmdb" className="button">
            Search TMDB
          </Link>
          <span className="muted small">Fills in year, poster, cast and crew (needs a TMDB key in Integrations).</span>
        </li>
        <li>
          <Link to="/add?method=barcode" className="button">
            Scan a barcode
          </Link>
          <span className="muted small">Point the camera at a disc case or type the number.</span>
        </li>
        <li>
          <Link to="/import" className="button">
            Import from Plex
          </Link>
          <span className="muted small">Brings in a Plex library{permissions.canStartImport ? '' : ' (owners and admins start it)'}.</span>
        </li>
        <li>
          <Link to="/import#file-title" className="button">
            Import from a file
          </Link>
          <span className="muted small">A CSV or JSON export from Shelfspace or another app.</span>
        </li>
      </ul>
    </div>
  );
}
