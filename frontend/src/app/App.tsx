import type { ReactNode } from 'react';
import { AdminActivityPage } from '../admin/AdminActivityPage';
import { FlagsPage } from '../admin/FlagsPage';
import { SpacesPage } from '../admin/SpacesPage';
import { SsoPage } from '../admin/SsoPage';
import { UsersPage } from '../admin/UsersPage';
import { AddPage } from '../add/AddPage';
import { InvitePage } from '../auth/InvitePage';
import { LoginPage } from '../auth/LoginPage';
import { ProfilePage } from '../auth/ProfilePage';
import { ForgotPasswordPage, ResetPasswordPage } from '../auth/PasswordResetPages';
import { RegisterPage } from '../auth/RegisterPage';
import { TokensPage } from '../auth/TokensPage';
import { DuplicatesPage } from '../duplicates/DuplicatesPage';
import { HealthPage } from '../health/HealthPage';
import { useHealth } from '../health/useHealth';
import { ImportPage } from '../import/ImportPage';
import { InsightsPage } from '../insights/InsightsPage';
import { LibraryPage } from '../library/LibraryPage';
import { ExportPage } from '../space/ExportPage';
import { IntegrationsPage } from '../space/IntegrationsPage';
import { InvitesPage } from '../space/InvitesPage';
import { MembersPage } from '../space/MembersPage';
import { SpaceActivityPage } from '../space/SpaceActivityPage';
import { YourSpacesPage } from '../space/YourSpacesPage';
import { TagsPage } from '../tags/TagsPage';
import { TitlePage } from '../title/TitlePage';
import { TrashPage } from '../trash/TrashPage';
import { WatchlistPage } from '../watchlist/WatchlistPage';
import { WishlistPage } from '../wishlist/WishlistPage';
import { Link, useLocation } from './navigation';
import { Nav } from './Nav';
import { NoticeProvider } from './notices';
import { matchPath } from './routes';
import { SessionProvider, useSession } from './session';
import { ErrorNotice, Loading, Page } from './ui';

type Route = [pattern: string, render: (params: Record<string, string>) => ReactNode];

const SIGNED_IN: Route[] = [
  ['/', () => <LibraryPage />],
  ['/titles/:id', (p) => <TitlePage key={p.id} id={p.id ?? ''} />],
  ['/add', () => <AddPage />],
  ['/wishlist', () => <WishlistPage />],
  ['/tags', () => <TagsPage />],
  ['/trash', () => <TrashPage />],
  ['/duplicates', () => <DuplicatesPage />],
  ['/import', () => <ImportPage />],
  ['/insights', () => <InsightsPage />],
  ['/watchlist', () => <WatchlistPage />],
  ['/space/members', () => <MembersPage />],
  ['/space/invites', () => <InvitesPage />],
  ['/space/integrations', () => <IntegrationsPage />],
  ['/space/activity', () => <SpaceActivityPage />],
  ['/space/export', () => <ExportPage />],
  ['/spaces', () => <YourSpacesPage />],
  ['/profile', () => <ProfilePage />],
  ['/profile/tokens', () => <TokensPage />],
  ['/invite/:token', (p) => <InvitePage token={p.token ?? ''} />],
];

const ADMIN: Route[] = [
  ['/admin/users', () => <UsersPage />],
  ['/admin/spaces', () => <SpacesPage />],
  ['/admin/flags', () => <FlagsPage />],
  ['/admin/sso', () => <SsoPage />],
  ['/admin/activity', () => <AdminActivityPage />],
];

function pick(routes: Route[], pathname: string): ReactNode | undefined {
  for (const [pattern, render] of routes) {
    const params = matchPath(pattern, pathname);
    if (params) return render(params);
  }
  return undefined;
}

function NotFound() {
  return (
    <Page title="Page not found">
      <p>
        There is no page at this address. <Link to="/">Go to the library</Link>.
      </p>
    </Page>
  );
}

function Content({ status }: { status: ReactNode }) {
  const { pathname } = useLocation();
  const { state, permissions, refresh } = useSession();

  if (pathname === '/status') return status;
  // A reset link works whoever is signed in on this browser: the reset ends every session anyway.
  if (pathname === '/reset-password' && state.kind !== 'loading') return <ResetPasswordPage />;
  if (state.kind === 'loading') return <Loading label="Starting Shelfspace…" />;
  if (state.kind === 'failed') {
    return (
      <Page title="Shelfspace is not available">
        <ErrorNotice error={state.error} onRetry={() => void refresh()} />
        <Link to="/status">See the system status</Link>
      </Page>
    );
  }
  if (state.kind === 'signed-out') {
    const invite = matchPath('/invite/:token', pathname);
    if (invite) return <InvitePage token={invite.token ?? ''} />;
    if (state.config?.first_run) return <RegisterPage />;
    if (pathname === '/register' && state.config?.registration === 'open') return <RegisterPage />;
    if (pathname === '/forgot-password' && state.config?.password_reset_by_email) return <ForgotPasswordPage />;
    return <LoginPage />;
  }
  if (['/login', '/register'].includes(pathname)) return pick(SIGNED_IN, '/');
  const page = pick(SIGNED_IN, pathname) ?? (permissions.isInstanceAdmin ? pick(ADMIN, pathname) : undefined);
  if (page && !state.me.active_space && !pathname.startsWith('/admin') && !pathname.startsWith('/profile') && !pathname.startsWith('/invite') && pathname !== '/spaces') {
    return (
      <Page title="No space yet">
        <p>
          You are not a member of any space. <Link to="/spaces">Create a space</Link>, or ask someone to invite you and open their
          invitation link.
        </p>
      </Page>
    );
  }
  if (!page && pathname.startsWith('/admin/')) {
    return (
      <Page title="Administrators only">
        <p role="alert" className="error">
          This page is for administrators of this Shelfspace install.
        </p>
      </Page>
    );
  }
  return page ?? <NotFound />;
}

function Shell() {
  const { state, reload } = useHealth();
  const health = state.kind === 'ready' ? state.health : undefined;
  // Every page loads its data for the active space: switching spaces remounts the page.
  const { me } = useSession();
  const spaceKey = me?.active_space?.id ?? 'none';
  return (
    <div className={`shell${me ? ' signed-in' : ''}`}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Nav health={health} />
      <main className="main" id="main" tabIndex={-1}>
        <Content key={spaceKey} status={<HealthPage state={state} onRetry={reload} />} />
      </main>
    </div>
  );
}

export function App() {
  return (
    <SessionProvider>
      <NoticeProvider>
        <Shell />
      </NoticeProvider>
    </SessionProvider>
  );
}
