import { describe, expect, it } from 'vitest';
import { describeLoan, loanDraftToInput } from './loanDraft';

describe('loanDraftToInput', () => {
  it('sends a member by id, or a typed name, never both', () => {
    expect(loanDraftToInput({ memberId: 'u1', name: 'ignored', due: '' })).toEqual({ borrower_user_id: 'u1' });
    expect(loanDraftToInput({ memberId: '', name: '  Ripley ', due: '' })).toEqual({ borrower_name: 'Ripley' });
  });

  it('asks for a borrower before sending', () => {
    expect(loanDraftToInput({ memberId: '', name: '  ', due: '' })).toHaveProperty('problem');
  });

  it('sends the end of the due day with its offset', () => {
    const input = loanDraftToInput({ memberId: '', name: 'Ripley', due: '2030-01-15' });
    expect('due_at' in input && new Date(input.due_at!).getTime()).toBe(new Date('2030-01-15T23:59:59').getTime());
  });
});

describe('describeLoan', () => {
  it('names a member from the members list and a borrower by name as typed', () => {
    const base = { lent_at: '2026-12-07T10:00:00Z', due_at: null };
    expect(describeLoan({ ...base, borrower_name: null, borrower_user_id: 'u1' }, { u1: 'Bishop' })).toMatch(/^Lent to Bishop on /);
    expect(describeLoan({ ...base, borrower_name: 'Hicks', borrower_user_id: null }, {})).toMatch(/^Lent to Hicks on /);
    expect(describeLoan({ ...base, borrower_name: 'Hicks', borrower_user_id: null, due_at: '2026-12-21T10:00:00Z' }, {})).toMatch(/ · due /);
  });
});
