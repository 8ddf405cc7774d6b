import type { CollectionValue } from '../api/types';
import { type ValueRow, valueByCurrency, valueByFormat, valueByYear } from './value';

function copies(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'copy' : 'copies'}`;
}

function ValueTable({ title, heading, rows }: { title: string; heading: string; rows: ValueRow[] }) {
  return (
    <div>
      <h3>{title}</h3>
      <table className="value-table" aria-label={title}>
        <thead>
          <tr>
            <th scope="col">{heading}</th>
            <th scope="col">Paid</th>
            <th scope="col">Copies</th>
          </tr>
        </thead>
        <tbody>
          {rows.flatMap((row) =>
            row.amounts.map((amount, index) => (
              <tr key={`${row.key}-${amount.currency}`}>
                <th scope="row">{index === 0 ? row.label : ''}</th>
                <td className="amount">{amount.text}</td>
                <td className="amount">{amount.copies.toLocaleString('en-US')}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  );
}

/** What the priced copies cost, currency by currency: amounts in two currencies are never added. */
export function ValueSection({ value }: { value: CollectionValue | undefined }) {
  const totals = valueByCurrency(value);
  return (
    <section aria-labelledby="value-title" className="panel">
      <h2 id="value-title">Value of the collection</h2>
      {totals.length === 0 ? (
        <p className="muted">No copy has a price yet: add what a copy cost on its title page.</p>
      ) : (
        <>
          <p className="muted">What the copies with a price cost when they were bought; each currency on its own.</p>
          <ul className="attention" data-testid="value-totals">
            {totals.map((total) => (
              <li key={total.currency}>
                <span aria-label={`${total.currency}: ${total.text} for ${copies(total.copies)}`}>
                  <span className="attention-count">{total.text}</span> <span>{copies(total.copies)}</span>
                </span>
              </li>
            ))}
          </ul>
          <div className="value-grid">
            <ValueTable title="By format" heading="Format" rows={valueByFormat(value)} />
            <ValueTable title="By year bought" heading="Year" rows={valueByYear(value)} />
          </div>
        </>
      )}
    </section>
  );
}
