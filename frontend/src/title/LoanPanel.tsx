import { useState, type FormEvent } from 'react';
import { copyLoanHistory, lendCopy, returnLoan } from '../api/loans';
import type { Copy, Loan, Member } from '../api/types';
import { useAction } from '../app/hooks';
import { ErrorNotice } from '../app/ui';
import { EMPTY_LOAN, describeLoan, loanDraftToInput, type LoanDraft } from './loanDraft';

/** A copy's loan: who has it and Return, or Lend; and its loan history on demand. Read-only for viewers. */
export function LoanPanel({
  copy,
  members,
  canLend,
  onChange,
}: {
  copy: Copy;
  members: Member[];
  canLend: boolean;
  onChange: (copy: Copy) => void;
}) {
  const [lending, setLending] = useState(false);
  const [draft, setDraft] = useState<LoanDraft>(EMPTY_LOAN);
  const [problem, setProblem] = useState<string | null>(null);
  const [history, setHistory] = useState<Loan[] | null>(null);
  const action = useAction();
  const names = Object.fromEntries(members.map((m) => [m.user_id, m.name]));
  const label = `${copy.format} copy`;

  async function lend(event: FormEvent) {
    event.preventDefault();
    const input = loanDraftToInput(draft);
    if ('problem' in input) return setProblem(input.problem);
    setProblem(null);
    const loan = await action.run(() => lendCopy(copy.id, input));
    if (loan) {
      onChange({ ...copy, loan });
      setLending(false);
      setDraft(EMPTY_LOAN);
      setHistory(null);
    }
  }
  async function giveBack() {
    if (!copy.loan) return;
    const loan = await action.run(() => returnLoan(copy.loan!.id));
    if (loan) {
      onChange({ ...copy, loan: null });
      setHistory(null);
    }
  }
  async function showHistory() {
    const page = await action.run(() => copyLoanHistory(copy.id));
    if (page) setHistory(page.items);
  }

  return (
    <div className="loan">
      <ErrorNotice error={action.error} />
      {copy.loan ? (
        <p className="loan-state">
          <span className={`badge ${copy.loan.overdue ? 'warn' : ''}`}>{copy.loan.overdue ? 'Overdue' : 'On loan'}</span>{' '}
          {describeLoan(copy.loan, names)}{' '}
          {canLend && (
            <button type="button" onClick={giveBack} disabled={action.busy} aria-label={`Return ${label}`}>
              Return
            </button>
          )}
        </p>
      ) : !canLend ? null : lending ? (
        <form className="form inline-form" onSubmit={lend} aria-label={`Lend ${label}`}>
          <label>
            Member
            <select value={draft.memberId} onChange={(e) => setDraft({ ...draft, memberId: e.target.value })}>
              <option value="">Someone else (type a name)</option>
              {members.map((member) => (
                <option key={member.user_id} value={member.user_id}>
                  {member.name}
                </option>
              ))}
            </select>
          </label>
          {!draft.memberId && (
            <label>
              Name of the borrower
              <input type="text" maxLength={200} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
            </label>
          )}
          <label>
            Due back (optional)
            <input type="date" value={draft.due} onChange={(e) => setDraft({ ...draft, due: e.target.value })} />
          </label>
          {problem && <p role="alert" className="error">{problem}</p>}
          <div className="buttons">
            <button type="submit" className="primary" disabled={action.busy}>
              {action.busy ? 'Lending…' : 'Lend'}
            </button>
            <button type="button" onClick={() => setLending(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <button type="button" onClick={() => setLending(true)} aria-label={`Lend ${label}`}>
          Lend
        </button>
      )}
      {!canLend ? null : history === null ? (
        <button type="button" className="link-button" onClick={showHistory} aria-label={`Loan history of ${label}`}>
          Loan history
        </button>
      ) : (
        <ul className="loan-history" aria-label={`Loan history of ${label}`}>
          {history.length === 0 && <li className="muted">Never lent.</li>}
          {history.map((loan) => (
            <li key={loan.id}>
              {describeLoan(loan, names)}
              {loan.returned_at && ` · returned ${new Date(loan.returned_at).toLocaleDateString()}`}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
