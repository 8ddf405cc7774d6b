import { describe, expect, it } from 'vitest';
import type { Copy } from '../api/types';
import { EMPTY_FILTERS, filtersToApiParams, filtersToSearch, parseFilters } from './filters';
import { loanStateOf } from './present';

const copy = (loan: Copy['loan']): Copy =>
  ({ id: 'c', format: 'DVD', loan }) as Copy;
const loan = (overdue: boolean) => ({ id: 'l', borrower_user_id: null, borrower_name: 'Ripley', lent_at: '', due_at: null, overdue });

describe('loanStateOf', () => {
  it('is overdue when any copy is overdue, on loan when any is out, else nothing', () => {
    expect(loanStateOf({ copies: [copy(null), copy(loan(false)), copy(loan(true))] })).toBe('overdue');
    expect(loanStateOf({ copies: [copy(null), copy(loan(false))] })).toBe('on_loan');
    expect(loanStateOf({ copies: [copy(null), copy(undefined)] })).toBeNull();
  });
});

describe('the loans filter', () => {
  it('round-trips through the URL and asks the list for on_loan=true or overdue=true', () => {
    const overdue = { ...EMPTY_FILTERS, loan: 'overdue' };
    expect(filtersToSearch(overdue)).toBe('?loan=overdue');
    expect(parseFilters('?loan=overdue').loan).toBe('overdue');
    expect(parseFilters('?loan=lost').loan).toBe('');
    const params = filtersToApiParams(overdue, 50);
    expect(params.overdue).toBe('true');
    expect(params).not.toHaveProperty('loan');
    expect(filtersToApiParams({ ...EMPTY_FILTERS, loan: 'on_loan' }, 50).on_loan).toBe('true');
  });
});
