import type { LoanInput } from '../api/types';

/** What the Lend form holds: a member picked from the list, or a name typed in; a due date. */
export interface LoanDraft {
  memberId: string;
  name: string;
  due: string; // yyyy-mm-dd, '' for none
}

export const EMPTY_LOAN: LoanDraft = { memberId: '', name: '', due: '' };

/** The request body, or the reason the form cannot be sent yet. */
export function loanDraftToInput(draft: LoanDraft): LoanInput | { problem: string } {
  const name = draft.name.trim();
  if (!draft.memberId && !name) return { problem: 'Choose a member or type the borrower’s name.' };
  const input: LoanInput = draft.memberId ? { borrower_user_id: draft.memberId } : { borrower_name: name };
  if (draft.due) {
    // The end of the chosen day in the browser's time zone, sent with its offset.
    const end = new Date(`${draft.due}T23:59:59`);
    if (Number.isNaN(end.getTime())) return { problem: 'The due date is not a date.' };
    input.due_at = end.toISOString();
  }
  return input;
}

/** "Lent to Ripley on 7 Dec 2026 · due 21 Dec 2026". */
export function describeLoan(
  loan: { borrower_name: string | null; borrower_user_id: string | null; lent_at: string; due_at: string | null },
  memberNames: Record<string, string>,
): string {
  const who = loan.borrower_name ?? (loan.borrower_user_id && memberNames[loan.borrower_user_id]) ?? 'a member';
  const day = (iso: string) => new Date(iso).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
  return [`Lent to ${who} on ${day(loan.lent_at)}`, loan.due_at && `due ${day(loan.due_at)}`].filter(Boolean).join(' · ');
}
