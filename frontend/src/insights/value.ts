import type { CollectionValue, CurrencyValue } from '../api/types';
import { formatMoney } from '../title/purchase';

export interface ValueRow {
  key: string;
  label: string;
  /** One amount per currency, never added together. */
  amounts: Array<{ currency: string; text: string; copies: number }>;
}

function amount(row: CurrencyValue) {
  return { currency: row.currency, text: formatMoney(row.total, row.currency), copies: row.copies };
}

/** Rows of one breakdown (format, or year bought): each group's amounts, currency by currency. */
function grouped<T extends CurrencyValue>(rows: T[], keyOf: (row: T) => string, labelOf: (key: string) => string): ValueRow[] {
  const byKey = new Map<string, ValueRow>();
  for (const row of rows) {
    const key = keyOf(row);
    const entry = byKey.get(key) ?? { key, label: labelOf(key), amounts: [] };
    entry.amounts.push(amount(row));
    byKey.set(key, entry);
  }
  return [...byKey.values()];
}

export function valueByCurrency(value: CollectionValue | undefined): ValueRow['amounts'] {
  return (value?.by_currency ?? []).map(amount);
}

export function valueByFormat(value: CollectionValue | undefined): ValueRow[] {
  return grouped(value?.by_format ?? [], (row) => row.format, (key) => key);
}

/** Years in order, the copies bought on an unrecorded day last. */
export function valueByYear(value: CollectionValue | undefined): ValueRow[] {
  return grouped(
    value?.by_year ?? [],
    (row) => (row.year === null ? 'unknown' : String(row.year)),
    (key) => (key === 'unknown' ? 'Date not recorded' : key),
  );
}
