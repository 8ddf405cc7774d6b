import { LOAN_LABELS, type LoanState } from './present';

export function LoanBadge({ state }: { state: LoanState | null }) {
  if (!state) return null;
  return <span className={`badge loan-badge ${state === 'overdue' ? 'warn' : ''}`}>{LOAN_LABELS[state]}</span>;
}
