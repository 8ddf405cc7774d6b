import { SelectField } from '../app/ui';
import { FORMATS, RESOLUTIONS } from '../library/filters';
import type { CopyDraft } from './draft';
import { CONDITIONS, defaultCurrency } from './purchase';

/** The day after today (UTC): the latest purchase date the server takes. */
function latestPurchaseDay(): string {
  return new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
}

/** The fields of one owned copy: what it is, where it is kept, and what it cost. */
export function CopyFields({ value, onChange }: { value: CopyDraft; onChange: (next: CopyDraft) => void }) {
  const text = (key: keyof CopyDraft, label: string, extra: Record<string, string> = {}) => (
    <label>
      {label}
      <input type="text" value={value[key]} onChange={(event) => onChange({ ...value, [key]: event.target.value })} {...extra} />
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
      <SelectField
        label="Condition"
        value={value.condition}
        options={CONDITIONS}
        anyLabel="Not set"
        onChange={(condition) => onChange({ ...value, condition })}
      />
      <fieldset className="purchase-fields">
        <legend>Purchase</legend>
        {text('price', 'Price', { inputMode: 'decimal', placeholder: '0.00' })}
        {text('currency', 'Currency', {
          placeholder: defaultCurrency(),
          maxLength: '3',
          autoCapitalize: 'characters',
          title: 'The ISO 4217 code: EUR, USD, GBP…',
        })}
        <label>
          Date bought
          <input
            type="date"
            value={value.purchase_date}
            max={latestPurchaseDay()}
            onChange={(event) => onChange({ ...value, purchase_date: event.target.value })}
          />
        </label>
        {text('store', 'Store')}
      </fieldset>
    </div>
  );
}
