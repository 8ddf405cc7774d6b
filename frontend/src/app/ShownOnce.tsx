import { useId, useState, type ReactNode } from 'react';
import { useNotices } from './notices';

/** A link made absolute against this site when the server gave a relative one. */
export function absoluteUrl(url: string, origin: string): string {
  return /^https?:\/\//.test(url) ? url : `${origin}${url.startsWith('/') ? '' : '/'}${url}`;
}

/** A secret or link the server shows only once: read-only, selectable, with a copy button. */
export function ShownOnce(props: { region: string; label: string; value: string; what: string; children?: ReactNode }) {
  const { region, label, value, what, children } = props;
  const id = useId();
  const [copied, setCopied] = useState(false);
  const { notify } = useNotices();

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      (document.getElementById(id) as HTMLInputElement | null)?.select();
      notify(`Copying is blocked here: the ${what} is selected, press Ctrl+C (or ⌘C) to copy it.`);
    }
  }

  return (
    <div className="panel" role="region" aria-label={region}>
      {children}
      <label>
        {label}
        <input id={id} type="text" readOnly value={value} onFocus={(e) => e.target.select()} />
      </label>
      <button type="button" onClick={copy}>
        Copy {what}
      </button>
      {copied && <span role="status"> Copied.</span>}
    </div>
  );
}
