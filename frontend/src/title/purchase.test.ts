import { describe, expect, it } from 'vitest';
import { valueByFormat, valueByYear } from '../insights/value';
import { copyDraftFrom, copyDraftToInput, EMPTY_COPY } from './draft';
import { copyPurchaseLine, defaultCurrency, priceText, rememberCurrency } from './purchase';

function memory(): Storage {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  } as Storage;
}

describe('a copy’s purchase in the form', () => {
  it('sends a price in the default currency when the currency is left blank, as exact decimal text', () => {
    const input = copyDraftToInput({ ...EMPTY_COPY, price: ' 19,9 ', store: ' Fnac ', condition: 'near_mint' }, 'EUR');
    expect(input.purchase).toEqual({ price: '19.9', currency: 'EUR', date: null, store: 'Fnac' });
    expect(input.condition).toBe('near_mint');
  });

  it('sends no purchase when every field is blank, so an edit clears it', () => {
    expect(copyDraftToInput({ ...EMPTY_COPY }, 'EUR')).toMatchObject({ purchase: null, condition: null });
  });

  it('keeps a typed currency (upper-cased) and sends a bad price as typed, for the server to refuse', () => {
    const input = copyDraftToInput({ ...EMPTY_COPY, price: '12', currency: 'usd', purchase_date: '2024-03-09' }, 'EUR');
    expect(input.purchase).toEqual({ price: '12', currency: 'USD', date: '2024-03-09', store: null });
    expect(priceText('12.345')).toBe('12.345');
    expect(priceText(' -1 ')).toBe('-1');
  });

  it('fills the form from a stored copy and back to the same purchase', () => {
    const purchase = { price: 24.99, currency: 'GBP', date: '2024-03-09', store: 'HMV' };
    const draft = copyDraftFrom({ ...EMPTY_COPY, id: 'c', format: 'DVD', edition: null, barcode: null, region: null, location: null, notes: null, resolution: null, source_provider: null, source_external_id: null, purchase, condition: 'good' });
    expect(copyDraftToInput(draft, 'EUR').purchase).toEqual({ ...purchase, price: '24.99' });
  });
});

describe('the default currency', () => {
  it('is the last one used, else the browser region’s, else the euro', () => {
    const storage = memory();
    expect(defaultCurrency(storage, 'en-US')).toBe('USD');
    expect(defaultCurrency(storage, 'fr-FR')).toBe('EUR');
    expect(defaultCurrency(storage, 'en')).toBe('EUR');
    rememberCurrency('GBP', storage);
    rememberCurrency('pounds', storage);
    expect(defaultCurrency(storage, 'en-US')).toBe('GBP');
  });
});

describe('a copy’s purchase on the title page', () => {
  it('reads as one line with the known parts', () => {
    const line = copyPurchaseLine({ condition: 'very_good', purchase: { price: 24.99, currency: 'EUR', date: '2024-03-09', store: 'Fnac' } });
    expect(line).toBe('Condition: Very good · Bought 9 Mar 2024 at Fnac for €24.99');
    expect(copyPurchaseLine({ condition: null, purchase: null })).toBeNull();
  });
});

describe('the value of the collection', () => {
  it('lists each currency of a group on its own, never added together', () => {
    const value = {
      by_currency: [],
      by_format: [
        { format: 'Blu-ray' as const, currency: 'EUR', total: 35.25, copies: 2 },
        { format: 'Blu-ray' as const, currency: 'USD', total: 12, copies: 1 },
      ],
      by_year: [
        { year: 2024, currency: 'EUR', total: 20.75, copies: 2 },
        { year: null, currency: 'USD', total: 12, copies: 1 },
      ],
    };
    expect(valueByFormat(value)).toEqual([
      {
        key: 'Blu-ray',
        label: 'Blu-ray',
        amounts: [
          { currency: 'EUR', text: '€35.25', copies: 2 },
          { currency: 'USD', text: '$12.00', copies: 1 },
        ],
      },
    ]);
    expect(valueByYear(value).map((row) => row.label)).toEqual(['2024', 'Date not recorded']);
  });
});
