import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const CHANGE = 'shelfspace:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

/** How the current page was reached: Back/Forward ('pop') lets a page restore where the user was. */
let lastNavigation: 'push' | 'replace' | 'pop' | 'load' = 'load';
if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => {
    lastNavigation = 'pop';
  });
}

export function cameBack(): boolean {
  return lastNavigation === 'pop';
}

/** The current path and query; re-renders on navigation. */
export function useLocation(): { pathname: string; search: string } {
  const href = useSyncExternalStore(subscribe, snapshot, () => '/');
  const index = href.indexOf('?');
  return index === -1
    ? { pathname: href, search: '' }
    : { pathname: href.slice(0, index), search: href.slice(index) };
}

/**
 * Goes to `to`: a new history entry (Back returns here) unless `replace`; a new entry starts at the
 * top of the page unless `keepScroll` (a filter changed on the same page).
 */
export function navigate(to: string, options: { replace?: boolean; keepScroll?: boolean } = {}): void {
  if (to === snapshot()) return;
  lastNavigation = options.replace ? 'replace' : 'push';
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(CHANGE));
  if (!options.replace && !options.keepScroll) window.scrollTo(0, 0);
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string };

/** An ordinary link (works with middle-click and keyboard) that navigates without a reload. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  function handle(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    navigate(to);
  }
  return <a href={to} onClick={handle} {...rest} />;
}
