import type { ReactNode } from 'react';
import { describeError } from './errors';
import { useDocumentTitle } from './hooks';
import { Link } from './navigation';
import { useSession } from './session';

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { permissions } = useSession();
  if (!error) return null;
  const described = describeError(error);
  const { title, message, requestId } = described;
  // The space's settings pages open only for its owners and admins: others are told who can help.
  const action = described.action && (!described.action.to.startsWith('/space/') || permissions.canManageSpace) ? described.action : undefined;
  return (
    <div role="alert" className="error">
      <p>
        <strong>{title}.</strong> {message}
        {action && (
          <>
            {' '}
            <Link to={action.to}>{action.label}</Link>
          </>
        )}
      </p>
      {requestId && <p className="muted small">Request id: {requestId}</p>}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p role="status" className="muted">
      {label}
    </p>
  );
}

export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  useDocumentTitle(title);
  return (
    <section className="page" aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">{title}</h1>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

/** A progress bar with its numbers in words for screen readers. */
export function Progress({ value, max, label }: { value: number; max: number | null; label: string }) {
  const known = max !== null && max > 0;
  return (
    <div className="progress-wrap">
      <progress aria-label={label} value={known ? value : undefined} max={known ? max : undefined} />
      <span className="muted small" aria-live="polite">
        {known ? `${value} of ${max}` : `${value} processed`}
      </span>
    </div>
  );
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString();
}

/**
 * A table's header row; `{ hidden }` columns (e.g. the actions column) are named for screen readers
 * only. `rowIndex` numbers the row for a table that renders only some of its rows.
 */
export function TableHead({ columns, rowIndex }: { columns: Array<string | { hidden: string }>; rowIndex?: number }) {
  return (
    <thead>
      <tr aria-rowindex={rowIndex}>
        {columns.map((column) =>
          typeof column === 'string' ? (
            <th key={column} scope="col">
              {column}
            </th>
          ) : (
            <th key={column.hidden} scope="col">
              <span className="visually-hidden">{column.hidden}</span>
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}

/** The loading and failed states of a `useResource`; renders nothing once the data is there. */
export function ResourceStatus({ state, onRetry, label }: { state: { kind: string; error?: unknown }; onRetry: () => void; label?: string }) {
  if (state.kind === 'loading') return <Loading label={label} />;
  if (state.kind === 'failed') return <ErrorNotice error={state.error} onRetry={onRetry} />;
  return null;
}

type Option = string | readonly [value: string, label: string];

/** A labelled select; `anyLabel` adds an empty first choice (no filter, not set). */
export function SelectField({
  label,
  value,
  options,
  anyLabel,
  disabled,
  onChange,
}: {
  label: string;
  value: string;
  options: readonly Option[];
  anyLabel?: string;
  disabled?: boolean;
  onChange: (value: string) => void;
}) {
  return (
    <label>
      {label}
      <select value={value} disabled={disabled} onChange={(event) => onChange(event.target.value)}>
        {anyLabel !== undefined && <option value="">{anyLabel}</option>}
        {options.map((option) => {
          const [key, text] = typeof option === 'string' ? [option, option] : option;
          return (
            <option key={key} value={key}>
              {text}
            </option>
          );
        })}
      </select>
    </label>
  );
}

/** A form's submit button (saying so while busy) and its optional Cancel. */
export function FormButtons({
  label,
  busy,
  disabled = false,
  onCancel,
}: {
  label: string;
  busy: boolean;
  disabled?: boolean;
  onCancel?: () => void;
}) {
  return (
    <div className="buttons">
      <button type="submit" className="primary" disabled={busy || disabled}>
        {busy ? 'Saving…' : label}
      </button>
      {onCancel && (
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}
