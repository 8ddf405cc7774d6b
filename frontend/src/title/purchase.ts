import type { Condition, Copy, Purchase } from '../api/types';

export const CONDITIONS: ReadonlyArray<readonly [Condition, string]> = [
  ['mint', 'Mint'],
  ['near_mint', 'Near mint'],
  ['very_good', 'Very good'],
  ['good', 'Good'],
  ['fair', 'Fair'],
  ['poor', 'Poor'],
];

const LAST_CURRENCY = 'shelfspace.lastCurrency';
// The currency of the browser's region when nothing was used yet; euro countries share one.
const REGION_CURRENCY: Record<string, string> = {
  US: 'USD', GB: 'GBP', CA: 'CAD', AU: 'AUD', NZ: 'NZD', JP: 'JPY', CH: 'CHF', SE: 'SEK', NO: 'NOK', DK: 'DKK',
  PL: 'PLN', CZ: 'CZK', IN: 'INR', BR: 'BRL', MX: 'MXN', ZA: 'ZAR', KR: 'KRW', CN: 'CNY',
};
const EURO = new Set(['AT', 'BE', 'CY', 'DE', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PT', 'SI', 'SK']);

export const CURRENCY = /^[A-Z]{3}$/;

/** The currency a new price is in unless the user says otherwise: the last one used, else the region's. */
export function defaultCurrency(storage: Pick<Storage, 'getItem'> | null = safeStorage(), language = navigatorLanguage()): string {
  const last = storage?.getItem(LAST_CURRENCY);
  if (last && CURRENCY.test(last)) return last;
  const region = language.split('-')[1]?.toUpperCase() ?? '';
  if (EURO.has(region)) return 'EUR';
  return REGION_CURRENCY[region] ?? 'EUR';
}

export function rememberCurrency(code: string, storage: Pick<Storage, 'setItem'> | null = safeStorage()): void {
  if (CURRENCY.test(code)) storage?.setItem(LAST_CURRENCY, code);
}

function safeStorage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

function navigatorLanguage(): string {
  return typeof navigator === 'undefined' ? '' : navigator.language ?? '';
}

/** "19,99" or " 19.9 " as the exact decimal text the API takes; null for blank. Anything else goes as
 * typed, for the server to refuse with its reason (a negative price, three decimals…). */
export function priceText(value: string): string | null {
  const trimmed = value.trim();
  if (!trimmed) return null;
  const decimal = trimmed.replace(',', '.');
  return /^\d+(\.\d{1,2})?$/.test(decimal) ? decimal : trimmed;
}

export function conditionLabel(condition: Condition | null | undefined): string | null {
  return CONDITIONS.find(([key]) => key === condition)?.[1] ?? null;
}

export function formatMoney(amount: number | string, currency: string): string {
  const value = Number(amount);
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(value);
  } catch {
    return `${value.toFixed(2)} ${currency}`;
  }
}

function formatDay(day: string): string {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, date)).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** "Bought 9 Mar 2024 at Fnac for €24.99", or the parts of it that are known; null when none is. */
export function describePurchase(purchase: Purchase | null | undefined): string | null {
  if (!purchase) return null;
  const parts = ['Bought'];
  if (purchase.date) parts.push(formatDay(purchase.date));
  if (purchase.store) parts.push(`at ${purchase.store}`);
  if (purchase.price !== null && purchase.currency) parts.push(`for ${formatMoney(purchase.price, purchase.currency)}`);
  return parts.length > 1 ? parts.join(' ') : null;
}

/** A copy's condition and purchase as one line under it on the title page. */
export function copyPurchaseLine(copy: Pick<Copy, 'purchase' | 'condition'>): string | null {
  const parts = [conditionLabel(copy.condition) && `Condition: ${conditionLabel(copy.condition)}`, describePurchase(copy.purchase)];
  const line = parts.filter(Boolean).join(' · ');
  return line || null;
}
