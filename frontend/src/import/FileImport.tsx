import { useEffect, useState, type DragEvent } from 'react';
import { previewFileImport, startFileImport } from '../api/imports';
import type { ImportPreset, ImportPreview, SyncJob } from '../api/types';
import { useAction } from '../app/hooks';
import { Link } from '../app/navigation';
import { ErrorNotice, Loading, SelectField, TableHead } from '../app/ui';
import {
  ACCEPTED_FILES,
  PRESETS,
  cellText,
  doublyMapped,
  fieldChoices,
  fileRefusal,
  delimiterName,
  fileSizeText,
  mappingToSend,
  outcomeText,
  presetLabel,
  previewFields,
  problemText,
} from './fileImport';
import { isFinished } from './jobs';
import { LiveJobPanel } from './LiveJob';

interface PreviewState {
  /** The last preview that came back; kept while a re-read with another mapping is on its way or failed. */
  preview: ImportPreview | null;
  loading: boolean;
  error: unknown;
}

/** The server's reason a file was refused, in its own words, else the usual error notice. */
function FileError({ error }: { error: unknown }) {
  if (!error) return null;
  const refusal = fileRefusal(error);
  if (!refusal) return <ErrorNotice error={error} />;
  return (
    <div role="alert" className="error">
      <p>
        <strong>This file cannot be imported.</strong> {refusal}
      </p>
    </div>
  );
}

/**
 * Asks the server how it reads the file whenever the file, the chosen format or the mapping asked for
 * changes; a new file or format starts from the server's own mapping (`asked` null).
 */
function usePreview(file: File | null, preset: ImportPreset | '', asked: Record<string, string | null> | null) {
  const [state, setState] = useState<PreviewState>({ preview: null, loading: false, error: null });
  useEffect(() => {
    if (!file) return setState({ preview: null, loading: false, error: null });
    const controller = new AbortController();
    setState((current) => ({ preview: asked ? current.preview : null, loading: true, error: null }));
    previewFileImport({ file, preset: preset || null, mapping: asked }, undefined, controller.signal).then(
      (preview) => !controller.signal.aborted && setState({ preview, loading: false, error: null }),
      (error: unknown) => !controller.signal.aborted && setState((current) => ({ ...current, loading: false, error })),
    );
    return () => controller.abort();
  }, [file, preset, asked]);
  return state;
}

function DropZone({ file, onFile, disabled }: { file: File | null; onFile: (file: File) => void; disabled: boolean }) {
  const [over, setOver] = useState(false);
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const dropped = event.dataTransfer.files[0];
    if (dropped && !disabled) onFile(dropped);
  };
  return (
    <div
      className={`drop-zone${over ? ' over' : ''}`}
      data-testid="drop-zone"
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      <p>Drop a CSV or JSON export here, or choose it:</p>
      <label>
        File to import
        <input
          type="file"
          accept={ACCEPTED_FILES}
          disabled={disabled}
          onChange={(event) => {
            const chosen = event.target.files?.[0];
            if (chosen) onFile(chosen);
            event.target.value = ''; // choosing the same file again reads it again
          }}
        />
      </label>
      {file && (
        <p className="muted small" data-testid="chosen-file">
          {file.name} · {fileSizeText(file.size)}
        </p>
      )}
      {disabled && <p className="muted small">Another file can be chosen once this import has ended.</p>}
    </div>
  );
}

function MappingTable({
  preview,
  mapping,
  onChange,
}: {
  preview: ImportPreview;
  mapping: Record<string, string | null>;
  onChange: (column: string, field: string | null) => void;
}) {
  const choices = fieldChoices(preview);
  const doubled = doublyMapped(mapping);
  return (
    <>
      <div className="table-wrap">
        <table className="dense" aria-label="Column mapping">
          <TableHead columns={['Column in the file', 'Becomes']} />
          <tbody>
            {preview.columns.map((column) => (
              <tr key={column}>
                <th scope="row">{column}</th>
                <td>
                  <select
                    aria-label={`Field for column ${column}`}
                    value={mapping[column] ?? ''}
                    onChange={(event) => onChange(column, event.target.value || null)}
                  >
                    <option value="">Leave out</option>
                    {choices.map(([field, label]) => (
                      <option key={field} value={field}>
                        {label}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {doubled.length > 0 && (
        <p className="muted small" role="status">
          More than one column fills {doubled.join(', ')}: check which one you mean.
        </p>
      )}
    </>
  );
}

function PreviewRows({ preview, fieldLabel }: { preview: ImportPreview; fieldLabel: (field: string) => string }) {
  const fields = previewFields(preview);
  if (preview.rows.length === 0) return <p className="muted">The file has no rows to import.</p>;
  return (
    <div className="table-wrap">
      <table className="dense" aria-label="First rows as read">
        <TableHead columns={['Row', ...fields.map(fieldLabel), 'Result']} />
        <tbody>
          {preview.rows.map((row, index) => (
            <tr key={row.row ?? index} className={row.outcome === 'ok' ? undefined : 'muted'}>
              <td>{row.row ?? index + 1}</td>
              {fields.map((field) => (
                <td key={field}>{cellText(row.fields[field])}</td>
              ))}
              <td>{outcomeText(row)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** How the server read the file: format, encoding, delimiter, how many rows. */
function ReadAs({ preview }: { preview: ImportPreview }) {
  const details = [
    preview.total_rows !== null ? `${preview.total_rows} ${preview.total_rows === 1 ? 'row' : 'rows'}` : '',
    preview.encoding ? preview.encoding.toUpperCase() : '',
    preview.delimiter ? `separated by ${delimiterName(preview.delimiter)}` : '',
  ].filter(Boolean);
  return (
    <p>
      Read as: <strong data-testid="preview-preset">{presetLabel(preview.preset)}</strong>
      {details.length > 0 && <span className="muted"> · {details.join(' · ')}</span>}
    </p>
  );
}

function Problems({ preview }: { preview: ImportPreview }) {
  if (preview.problems.length === 0) return <p className="muted">No problems found in the file’s columns.</p>;
  return (
    <div role="region" aria-label="Problems in the file" className="error">
      <p>
        <strong>Problems in the file.</strong> Check these before importing:
      </p>
      <ul>
        {preview.problems.map((problem, index) => (
          <li key={index}>{problemText(problem)}</li>
        ))}
      </ul>
    </div>
  );
}

/** Import from a file: choose it, check how it is read and mapped, try a dry run, then import. */
export function FileImport({ onJobFinished }: { onJobFinished: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [preset, setPreset] = useState<ImportPreset | ''>('');
  const [asked, setAsked] = useState<Record<string, string | null> | null>(null);
  const { preview, loading, error } = usePreview(file, preset, asked);
  /** The server's own mapping for this file and format, and the one the user has chosen. */
  const [suggested, setSuggested] = useState<Record<string, string | null>>({});
  const [mapping, setMapping] = useState<Record<string, string | null>>({});
  const [dryRun, setDryRun] = useState<SyncJob | null>(null);
  const [job, setJob] = useState<SyncJob | null>(null);
  const [lookUp, setLookUp] = useState(false);
  const start = useAction();

  useEffect(() => {
    if (preview && asked === null) {
      setSuggested(preview.mapping);
      setMapping(preview.mapping);
    }
    setDryRun(null);
    setJob(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [preview]);

  const running = [dryRun, job].some((j) => j && !isFinished(j.status));
  const toSend = mappingToSend(suggested, mapping);
  const notShown = preview ? mappingToSend(preview.mapping, mapping) : null;
  const labels = new Map(preview ? fieldChoices(preview) : []);
  const fieldLabel = (field: string) => labels.get(field) ?? field;

  function chooseFile(chosen: File) {
    setAsked(null);
    setFile(chosen);
  }

  async function begin(asDryRun: boolean) {
    if (!file || !preview) return;
    const enrich = lookUp && preview.tmdb_configured;
    const options = { file, preset: preset || preview.preset, mapping: toSend, dryRun: asDryRun, enrich };
    const started = await start.run(() => startFileImport(options));
    if (!started) return;
    if (asDryRun) setDryRun(started);
    else setJob(started);
  }

  return (
    <section aria-labelledby="file-title" className="panel">
      <h2 id="file-title">Import from a file</h2>
      <p className="muted">
        A spreadsheet, a Shelfspace export, or an export from CLZ Movies, Letterboxd, IMDb, Trakt or collectZ. Titles
        already in the space are matched, not added twice.
      </p>
      <div className="form">
        <DropZone file={file} onFile={chooseFile} disabled={running} />
        <SelectField
          label="Format"
          value={preset}
          anyLabel="Detect from the file"
          options={PRESETS}
          disabled={running}
          onChange={(value) => {
            setAsked(null);
            setPreset(value as ImportPreset | '');
          }}
        />
      </div>
      {loading && <Loading label="Reading the file…" />}
      <FileError error={error} />
      {preview && (
        <div className="file-preview" role="region" aria-label="Preview">
          <ReadAs preview={preview} />
          {preview.columns.length > 0 && (
            <MappingTable
              preview={preview}
              mapping={mapping}
              onChange={(column, field) => setMapping({ ...mapping, [column]: field })}
            />
          )}
          <h3>First rows</h3>
          {notShown && (
            <p className="buttons">
              <span className="muted">You changed the mapping.</span>
              <button type="button" onClick={() => setAsked(mapping)} disabled={loading}>
                Show the rows with this mapping
              </button>
            </p>
          )}
          <PreviewRows preview={preview} fieldLabel={fieldLabel} />
          <Problems preview={preview} />
          {preview.tmdb_configured && (
            <label className="check">
              <input type="checkbox" checked={lookUp} disabled={running} onChange={(e) => setLookUp(e.target.checked)} />
              Look up missing TMDB ids
              <span className="muted small">
                {' '}
                (rows without a TMDB or IMDb id get one when TMDB has exactly one title of that name and year)
              </span>
            </label>
          )}
          <div className="buttons">
            <button type="button" onClick={() => begin(true)} disabled={start.busy || running || loading}>
              Dry run
            </button>
            <button type="button" className="primary" onClick={() => begin(false)} disabled={start.busy || running || loading}>
              Import
            </button>
          </div>
          <FileError error={start.error} />
        </div>
      )}
      {dryRun && (
        <LiveJobPanel key={dryRun.id} title="Dry run" started={dryRun} dryRun canCancel onFinished={setDryRun} />
      )}
      {job && (
        <LiveJobPanel
          key={job.id}
          title="File import"
          started={job}
          canCancel
          onFinished={(finished) => {
            setJob(finished);
            onJobFinished();
          }}
        >
          {(current) => isFinished(current.status) && <Link to="/">Open the library</Link>}
        </LiveJobPanel>
      )}
    </section>
  );
}
