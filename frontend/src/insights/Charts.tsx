import type { MouseEvent } from 'react';
import { Link, navigate } from '../app/navigation';
import type { Bar } from './stats';

/** Horizontal bars: one row per bar (a link when a list shows exactly its titles), drawn as SVG; readable as a plain list. */
export function BarList({ title, bars, unit = 'titles', note }: { title: string; bars: Bar[]; unit?: string; note?: string }) {
  const id = `chart-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <figure className="chart panel" aria-labelledby={id}>
      <figcaption id={id}>
        <h2>{title}</h2>
        {note && <p className="muted">{note}</p>}
      </figcaption>
      {bars.length === 0 ? (
        <p className="muted">Nothing to show yet.</p>
      ) : (
        <ul className="bars">
          {bars.map((bar) => {
            const row = (
              <>
                <span className="bar-label">{bar.label}</span>
                <svg className="bar-svg" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                  <rect x="0" y="0" width={Math.max(bar.percent, 0.5)} height="10" rx="1" />
                </svg>
                <span className="bar-value">{bar.value.toLocaleString('en-US')}</span>
              </>
            );
            const label = `${bar.label}: ${bar.value} ${unit}`;
            return (
              <li key={bar.key}>
                {bar.href ? (
                  <Link to={bar.href} className="bar-link" aria-label={label}>
                    {row}
                  </Link>
                ) : (
                  <span className="bar-link" aria-label={label}>
                    {row}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </figure>
  );
}

/** A label wider than its column starts at the chart's left edge and ends at its right edge, never past them. */
function labelAnchor(index: number, slots: number): 'start' | 'middle' | 'end' {
  if (index === 0) return 'start';
  return index === slots - 1 ? 'end' : 'middle';
}

function labelX(index: number, slots: number): number {
  const anchor = labelAnchor(index, slots);
  return index * 12 + (anchor === 'start' ? 1 : anchor === 'end' ? 11 : 6);
}

/** Vertical columns over time (additions per month); a column is a link only when it has one. */
export function ColumnChart({ title, bars }: { title: string; bars: Bar[] }) {
  // Room for two years of months, so a young collection's few columns keep their width.
  const slots = Math.max(bars.length, 24);
  const width = slots * 12;
  const height = 60;
  const id = 'chart-over-time';
  const go = (href: string) => (event: MouseEvent) => {
    event.preventDefault();
    navigate(href);
  };
  return (
    <figure className="chart panel wide" aria-labelledby={id}>
      <figcaption id={id}>
        <h2>{title}</h2>
      </figcaption>
      {bars.length === 0 ? (
        <p className="muted">Nothing added yet.</p>
      ) : (
        <>
          <svg
            className="columns"
            viewBox={`0 0 ${width} ${height + 12}`}
            preserveAspectRatio="xMinYMax meet"
            role="list"
            aria-label={title}
          >
            {bars.map((bar, index) => {
              const h = (bar.percent / 100) * height;
              const column = (
                <>
                  <title>{`${bar.label}: ${bar.value}`}</title>
                  <rect x={index * 12 + 1} y={height - h} width={10} height={Math.max(h, 0.5)} rx="1" />
                  {(index === 0 || (index === bars.length - 1 && index > 2) || (bar.key.endsWith('-01') && index > 2)) && (
                    <text x={labelX(index, slots)} y={height + 9} textAnchor={labelAnchor(index, slots)} fontSize="6">
                      {bar.label.replace(/^(\w{3}) (\d{2})(\d{2})$/, '$1 ’$3')}
                    </text>
                  )}
                </>
              );
              const label = `${bar.label}: ${bar.value} titles added`;
              return bar.href ? (
                <a key={bar.key} href={bar.href} onClick={go(bar.href)} role="listitem" aria-label={label}>
                  {column}
                </a>
              ) : (
                <g key={bar.key} role="listitem" aria-label={label}>
                  {column}
                </g>
              );
            })}
          </svg>
        </>
      )}
    </figure>
  );
}
