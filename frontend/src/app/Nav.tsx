import { useEffect, useState } from 'react';
import { logout } from '../api/auth';
import type { Health } from '../api/types';
import { viewHref } from '../library/filters';
import { SpaceSwitcher } from '../space/SpaceSwitcher';
import { useSavedViews } from '../tags/savedViews';
import { formatBuildLabel } from './buildLabel';
import { navGroups, type NavGroup } from './navGroups';
import { Link, navigate, useLocation } from './navigation';
import { useSession } from './session';

interface NavProps {
  health: Health | undefined;
}

function NavLink({ to, children }: { to: string; children: string }) {
  const { pathname } = useLocation();
  const current = to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`);
  return (
    <li>
      <Link to={to} aria-current={current ? 'page' : undefined}>
        {children}
      </Link>
    </li>
  );
}

function Group({ group }: { group: NavGroup }) {
  const headingId = `nav-group-${group.id}`;
  return (
    // A labelled list rather than a heading: page headings stay the only headings of the page.
    <section className="nav-group">
      <span className="nav-group-title" id={headingId}>
        {group.title}
      </span>
      <ul className="nav-links" aria-labelledby={headingId}>
        {group.links.map((link) => (
          <NavLink key={link.to} to={link.to}>
            {link.label}
          </NavLink>
        ))}
      </ul>
    </section>
  );
}

/** The caller's saved views and the space's shared ones, each opening the library with its filters and sort. */
function SavedViews({ spaceId }: { spaceId: string }) {
  const state = useSavedViews(true, spaceId);
  const { pathname, search } = useLocation();
  if (state.kind !== 'ready' || state.data.length === 0) return null;
  return (
    <section className="nav-group">
      <span className="nav-group-title" id="nav-group-views">
        Saved views
      </span>
      <ul className="nav-links" aria-labelledby="nav-group-views">
        {state.data.map((view) => {
          const href = viewHref(view.query);
          return (
            <li key={view.id}>
              <Link to={href} aria-current={`${pathname}${search}` === href ? 'page' : undefined}>
                {view.name}
                {view.shared && <span className="visually-hidden"> (shared)</span>}
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** The top bar (brand, the active space, the menu button on a phone) and the grouped navigation. */
export function Nav({ health }: NavProps) {
  const label = health ? formatBuildLabel(health.version, health.git_sha) : '';
  const built = health?.build_date ? `Built ${health.build_date}` : undefined;
  const { me, permissions, refresh } = useSession();
  const [open, setOpen] = useState(false);
  const { pathname, search } = useLocation();
  useEffect(() => setOpen(false), [pathname, search]);
  useEffect(() => {
    if (!open) return undefined;
    // The drawer takes the focus (its current page, else its first link); Escape gives it back.
    const drawer = document.getElementById('nav-menu');
    (drawer?.querySelector<HTMLElement>('[aria-current="page"]') ?? drawer?.querySelector<HTMLElement>('a'))?.focus();
    const close = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      document.querySelector<HTMLElement>('.nav-toggle')?.focus();
    };
    window.addEventListener('keydown', close);
    return () => window.removeEventListener('keydown', close);
  }, [open]);

  async function signOut() {
    try {
      await logout();
    } finally {
      await refresh();
      navigate('/login', { replace: true });
    }
  }

  return (
    <>
      <header className="nav">
        <div className="nav-inner">
          {me && (
            <button type="button" className="nav-toggle" aria-expanded={open} aria-controls="nav-menu" onClick={() => setOpen(!open)}>
              <span aria-hidden="true">☰</span> Menu
            </button>
          )}
          <Link className="nav-brand" to="/">
            Shelfspace
          </Link>
          {me && <SpaceSwitcher />}
          {label && (
            <Link className="nav-build" to="/status" title={built}>
              <span className="visually-hidden">Version </span>
              {label}
            </Link>
          )}
        </div>
      </header>
      {me && (
        <>
          {open && <button type="button" className="nav-backdrop" aria-label="Close the menu" onClick={() => setOpen(false)} />}
          <nav id="nav-menu" className={`sidebar${open ? ' open' : ''}`} aria-label="Main">
            {navGroups(permissions, !!me.active_space).map((group) => (
              <Group key={group.id} group={group} />
            ))}
            {me.active_space && permissions.canAddTitles && <SavedViews spaceId={me.active_space.id} />}
            <section className="nav-group" aria-label="Account">
              <ul className="nav-links">
                <NavLink to="/profile">Profile</NavLink>
                <li>
                  <button type="button" className="link-button" onClick={signOut}>
                    Sign out
                  </button>
                </li>
              </ul>
            </section>
          </nav>
        </>
      )}
    </>
  );
}
