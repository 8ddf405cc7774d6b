import { useEffect, useState } from 'react';
import { logout } from '../api/auth';
import type { Health } from '../api/types';
import { SpaceSwitcher } from '../space/SpaceSwitcher';
import { formatBuildLabel } from './buildLabel';
import { Link, navigate, useLocation } from './navigation';
import { useSession } from './session';

interface NavProps {
  health: Health | undefined;
}

function NavLink({ to, children }: { to: string; children: string }) {
  const { pathname } = useLocation();
  const current = to === '/' ? pathname === '/' : pathname.startsWith(to);
  return (
    <li>
      <Link to={to} aria-current={current ? 'page' : undefined}>
        {children}
      </Link>
    </li>
  );
}

export function Nav({ health }: NavProps) {
  const label = health ? formatBuildLabel(health.version, health.git_sha) : '';
  const built = health?.build_date ? `Built ${health.build_date}` : undefined;
  const { me, permissions, refresh } = useSession();
  const [open, setOpen] = useState(false);
  const { pathname } = useLocation();
  useEffect(() => setOpen(false), [pathname]);

  async function signOut() {
    try {
      await logout();
    } finally {
      await refresh();
      navigate('/login', { replace: true });
    }
  }

  return (
    <header className="nav">
      <nav className="nav-inner" aria-label="Main">
        <Link className="nav-brand" to="/">
          Shelfspace
        </Link>
        {me && <SpaceSwitcher />}
        {me && (
          <button type="button" className="nav-toggle" aria-expanded={open} aria-controls="nav-menu" onClick={() => setOpen(!open)}>
            Menu
          </button>
        )}
        {me && (
          <div id="nav-menu" className={`nav-menu${open ? ' open' : ''}`}>
            <ul className="nav-links">
              <NavLink to="/">Library</NavLink>
              {permissions.canAddTitles && <NavLink to="/add">Add</NavLink>}
              <NavLink to="/insights">Insights</NavLink>
              {permissions.canSeeDuplicates && <NavLink to="/duplicates">Duplicates</NavLink>}
              {permissions.canSeeImports && <NavLink to="/import">Import</NavLink>}
              {permissions.canSeeTrash && <NavLink to="/trash">Trash</NavLink>}
            </ul>
            <ul className="nav-links" aria-label="Space">
              <NavLink to="/space/members">Members</NavLink>
              {permissions.canManageSpace && <NavLink to="/space/invites">Invitations</NavLink>}
              {permissions.canManageSpace && <NavLink to="/space/integrations">Integrations</NavLink>}
              {permissions.canManageSpace && <NavLink to="/space/activity">Activity</NavLink>}
              {permissions.canExport && <NavLink to="/space/export">Export</NavLink>}
            </ul>
            {permissions.isInstanceAdmin && (
              <ul className="nav-links" aria-label="Administration">
                <NavLink to="/admin/users">Users</NavLink>
                <NavLink to="/admin/spaces">Spaces</NavLink>
                <NavLink to="/admin/flags">Flags</NavLink>
                <NavLink to="/admin/activity">All activity</NavLink>
              </ul>
            )}
            <ul className="nav-links">
              <NavLink to="/profile">Profile</NavLink>
              <li>
                <button type="button" className="link-button" onClick={signOut}>
                  Sign out
                </button>
              </li>
            </ul>
          </div>
        )}
        {label && (
          <Link className="nav-build" to="/status" title={built}>
            <span className="visually-hidden">Version </span>
            {label}
          </Link>
        )}
      </nav>
    </header>
  );
}
