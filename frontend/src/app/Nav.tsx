import type { Health } from '../api/types';
import { formatBuildLabel } from './buildLabel';

interface NavProps {
  health: Health | undefined;
}

export function Nav({ health }: NavProps) {
  const label = health ? formatBuildLabel(health.version, health.git_sha) : '';
  const built = health?.build_date ? `Built ${health.build_date}` : undefined;

  return (
    <header className="nav">
      <nav className="nav-inner" aria-label="Main">
        <a className="nav-brand" href="/">
          Shelfspace
        </a>
        {label && (
          <span className="nav-build" title={built}>
            <span className="visually-hidden">Version </span>
            {label}
          </span>
        )}
      </nav>
    </header>
  );
}
