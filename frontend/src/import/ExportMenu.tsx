import { useRef } from 'react';
import { exportUrl } from '../api/imports';
import type { ExportFormat } from '../api/types';

export const EXPORT_FORMATS: ReadonlyArray<readonly [ExportFormat, string, string]> = [
  ['csv', 'CSV', 'one row per copy, for spreadsheets'],
  ['json', 'JSON', 'everything, to import into Shelfspace again'],
];

/** The export links of a space: plain downloads, the session cookie authenticates them. */
export function ExportLinks({ spaceId, spaceName, onChoose }: { spaceId: string; spaceName: string; onChoose?: () => void }) {
  return (
    <ul className="export-links">
      {EXPORT_FORMATS.map(([format, label, what]) => (
        <li key={format}>
          <a className="button" href={exportUrl(spaceId, format)} download title={`${spaceName} as ${label}`} onClick={onChoose}>
            Export as {label}
          </a>{' '}
          <span className="muted small">{what}</span>
        </li>
      ))}
    </ul>
  );
}

/** A small menu for page headers: the active space as CSV or JSON. */
export function ExportMenu({ spaceId, spaceName }: { spaceId: string; spaceName: string }) {
  const menu = useRef<HTMLDetailsElement>(null);
  const close = () => menu.current?.removeAttribute('open');
  return (
    <details className="menu" ref={menu}>
      <summary className="button">Export</summary>
      <div className="menu-body">
        <ExportLinks spaceId={spaceId} spaceName={spaceName} onChoose={close} />
      </div>
    </details>
  );
}
