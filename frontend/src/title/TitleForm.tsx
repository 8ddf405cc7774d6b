import { useState, type FormEvent } from 'react';
import { fieldErrors } from '../app/errors';
import { ErrorNotice, FormButtons, SelectField } from '../app/ui';
import { MEDIA_TYPES } from '../library/filters';
import type { TitleDraft } from './draft';

interface TitleFormProps {
  initial: TitleDraft;
  submitLabel: string;
  busy: boolean;
  error: unknown;
  onSubmit: (draft: TitleDraft) => void;
  onCancel?: () => void;
  /** Extra fields (e.g. the first copy) shown before the buttons. */
  children?: React.ReactNode;
}

/** A title's fields; lists (genres, directors, cast) are typed comma-separated. */
export function TitleForm({ initial, submitLabel, busy, error, onSubmit, onCancel, children }: TitleFormProps) {
  const [draft, setDraft] = useState(initial);
  const errors = fieldErrors(error);
  const set = (key: keyof TitleDraft) => (event: { target: { value: string } }) =>
    setDraft({ ...draft, [key]: event.target.value });
  const field = (key: keyof TitleDraft, label: string, type = 'text', extra: Record<string, unknown> = {}) => (
    <label>
      {label}
      <input
        type={type}
        value={String(draft[key] ?? '')}
        onChange={set(key)}
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={errors[key] ? `err-${key}` : undefined}
        {...extra}
      />
      {errors[key] && (
        <span id={`err-${key}`} className="field-error">
          {errors[key]}
        </span>
      )}
    </label>
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit(draft);
  }

  return (
    <form className="form" onSubmit={submit} aria-label="Title details">
      {field('title', 'Title', 'text', { required: true, maxLength: 500 })}
      {field('original_title', 'Original title')}
      <SelectField
        label="Type"
        value={draft.media_type}
        options={MEDIA_TYPES}
        onChange={(value) => setDraft({ ...draft, media_type: value as TitleDraft['media_type'] })}
      />
      <div className="form-row">
        {field('year', 'Year', 'number', { min: 1870, max: 2100 })}
        {field('runtime_minutes', 'Runtime (minutes)', 'number', { min: 0 })}
      </div>
      <label>
        Overview
        <textarea rows={4} value={draft.overview} onChange={set('overview')} />
      </label>
      {field('poster_url', 'Poster URL', 'url')}
      {field('genres', 'Genres (comma-separated)')}
      {field('directors', 'Directors (comma-separated)')}
      {field('cast', 'Cast (comma-separated)')}
      <label>
        Notes
        <textarea rows={2} value={draft.notes} onChange={set('notes')} />
      </label>
      {children}
      <ErrorNotice error={error} />
      <FormButtons label={submitLabel} busy={busy} disabled={!draft.title.trim()} onCancel={onCancel} />
    </form>
  );
}
