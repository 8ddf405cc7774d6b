import { getAuthConfig } from '../api/auth';
import { ssoStartUrl } from '../api/sso';
import type { SsoProviderBrief } from '../api/types';
import { useResource } from '../app/hooks';

/** "Sign in with …" links: the browser goes to the provider and comes back signed in at `next`. */
export function SsoButtons(props: { providers: SsoProviderBrief[]; next: string; forwardAuth: boolean }) {
  const { providers, next, forwardAuth } = props;
  if (providers.length === 0 && !forwardAuth) return null;
  return (
    <div className="form narrow panel" aria-label="Single sign-on">
      {providers.map((provider) => (
        <a key={provider.id} className="button primary" href={ssoStartUrl(provider.id, { next })}>
          Sign in with {provider.name}
        </a>
      ))}
      {forwardAuth && (
        <a className="button" href="/api/auth/forward-auth">
          Continue with your proxy sign-in
        </a>
      )}
    </div>
  );
}

/** On the profile: link this account to a provider, so signing in there reaches it. */
export function SsoLinks() {
  const config = useResource(() => getAuthConfig(), []);
  const providers = config.state.kind === 'ready' ? (config.state.data.sso ?? []) : [];
  if (providers.length === 0) return null;
  return (
    <section className="panel" aria-label="Single sign-on">
      <h2>Single sign-on</h2>
      <p className="muted small">Link your account once; afterwards “Sign in with …” on the sign-in page reaches it.</p>
      {providers.map((provider) => (
        <a key={provider.id} className="button" href={ssoStartUrl(provider.id, { next: '/profile', link: true })}>
          Link {provider.name}
        </a>
      ))}
    </section>
  );
}
