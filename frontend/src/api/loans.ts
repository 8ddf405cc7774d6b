import { apiRequest, type ApiClient } from './client';
import { seg, withQuery } from './shape';
import type { Loan, LoanInput, Page } from './types';

export function lendCopy(copyId: string, input: LoanInput, request: ApiClient = apiRequest): Promise<Loan> {
  return request(`/api/copies/${seg(copyId)}/loans`, { method: 'POST', body: input });
}

export function returnLoan(loanId: string, request: ApiClient = apiRequest): Promise<Loan> {
  return request(`/api/loans/${seg(loanId)}/return`, { method: 'POST' });
}

/** Every loan of one copy, newest first (its loan history). */
export function copyLoanHistory(copyId: string, request: ApiClient = apiRequest): Promise<Page<Loan>> {
  return request(withQuery('/api/loans', { state: 'all', copy_id: copyId, limit: 50 }));
}
