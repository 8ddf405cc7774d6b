import { SelectField } from '../app/ui';
import { FORMATS, RESOLUTIONS } from '../library/filters';
import type { CopyDraft } from './draft';

/** The fields of one owned copy. */
export function CopyFields({ value, onChange }: { value: CopyDraft; onChange: (next: CopyDraft) => void }) {
  const text = (key: keyof CopyDraft, label: string) => (
    <label>
      {label}
      <input type="text" value={value[key]} onChange={(event) => onChange({ ...value, [key]: event.target.value })} />
    </label>
  );
  return (
    <div className="copy-fields">
      <SelectField label="Format" value={value.format} options={FORMATS} onChange={(format) => onChange({ ...value, format })} />
      <SelectField
        label="Resolution"
        value={value.resolution}
        options={RESOLUTIONS}
        anyLabel="Not set"
        onChange={(resolution) => onChange({ ...value, resolution })}
      />
      {text('edition', 'Edition')}
      {text('barcode', 'Barcode')}
      {text('region', 'Region')}
      {text('location', 'Location')}
      {text('notes', 'Copy notes')}
    </div>
  );
}
