import { SelectField } from '../app/ui';
import { FORMATS, RESOLUTIONS } from '../library/filters';
import type { Season } from '../api/types';
import type { CopyDraft, CopyTextField } from './draft';
import { CONDITIONS, defaultCurrency } from './purchase';

/** The day after today (UTC): the latest purchase date the server takes. */
function latestPurchaseDay(): string {
  return new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
}

/** Which of the show's recorded seasons the copy holds (a "Seasons 1–3" set ticks 1, 2 and 3). */
function SeasonPicker({ seasons, value, onChange }: { seasons: Season[]; value: number[]; onChange: (next: number[]) => void }) {
  const toggle = (number: number, on: boolean) =>
    onChange(on ? [...value, number].sort((a, b) => a - b) : value.filter((n) => n !== number));
  return (
    <fieldset className="season-picker">
      <legend>Seasons on this copy</legend>
      {seasons.length === 0 ? (
        <p className="muted small">Record the show’s seasons first (Seasons, below), then tick the ones this copy holds.</p>
      ) : (
        seasons.map((season) => (
          <label key={season.number} className="check">
            <input
              type="checkbox"
              checked={value.includes(season.number)}
              onChange={(event) => toggle(season.number, event.target.checked)}
            />
            {season.name}
          </label>
        ))
      )}
    </fieldset>
  );
}

/** The fields of one owned copy: what it is, where it is kept, what it cost; `seasons` (a show's,
 * recorded) adds the season picker. */
export function CopyFields({
  value,
  onChange,
  seasons,
}: {
  value: CopyDraft;
  onChange: (next: CopyDraft) => void;
  seasons?: Season[] | null;
}) {
  const text = (key: CopyTextField, label: string, extra: Record<string, string> = {}) => (
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
      {seasons && (
        <SeasonPicker
          seasons={seasons}
          value={value.season_numbers}
          onChange={(season_numbers) => onChange({ ...value, season_numbers })}
        />
      )}
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
