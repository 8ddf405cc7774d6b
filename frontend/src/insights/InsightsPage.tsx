import { getStats } from '../api/media';
import type { MediaStats } from '../api/types';
import { listSyncJobs } from '../api/sync';
import { useResource } from '../app/hooks';
import { Link } from '../app/navigation';
import { useSession } from '../app/session';
import { Page, ResourceStatus } from '../app/ui';
import { BarList, ColumnChart } from './Charts';
import { ValueSection } from './ValueSection';
import { type Bar, attentionItems, decadeBars, formatBars, genreBars, mediaTypeBars, monthBars, sourceBars } from './stats';

/** The bar charts: every figure counts titles, as the list its bar links to shows them. */
function barCharts(data: MediaStats): Array<[title: string, bars: Bar[], note?: string]> {
  return [
    ['Titles by format', formatBars(data.by_format), 'A title with copies in two formats counts in both.'],
    ['Titles by type', mediaTypeBars(data.by_media_type)],
    ['Titles by decade', decadeBars(data.by_decade)],
    ['Titles by genre', genreBars(data.by_genre), 'A genre counts the titles its link lists: “Action” includes “Action & Adventure”.'],
    ['Titles by source', sourceBars(data.by_source)],
  ];
}

export function InsightsPage() {
  const { me, permissions } = useSession();
  const spaceId = me?.active_space?.id ?? '';
  const stats = useResource((signal) => getStats(undefined, signal), [spaceId]);
  // Failed imports come from the sync service; viewers cannot list jobs, so it is left out for them.
  const failed = useResource(
    async () => (permissions.canSeeImports ? (await listSyncJobs({ status: 'failed' }, null)).total : null),
    [spaceId, permissions.canSeeImports],
  );

  return (
    <Page title="Insights">
      <ResourceStatus state={stats.state} onRetry={stats.reload} label="Counting your collection…" />
      {stats.state.kind === 'ready' && (
        <>
          <p className="lead">
            <Link to="/">
              <strong data-testid="total-titles">{stats.state.data.total.toLocaleString('en-US')}</strong> titles
            </Link>{' '}
            in {me?.active_space?.name}
          </p>
          <section aria-labelledby="attention-title" className="panel">
            <h2 id="attention-title">Needs attention</h2>
            <ul className="attention">
              {attentionItems(stats.state.data, failed.state.data ?? null, permissions).map((item) => {
                const body = (
                  <>
                    <span className={`attention-count${item.value ? ' warn' : ''}`}>{item.value.toLocaleString('en-US')}</span>
                    <span>{item.label}</span>
                  </>
                );
                return (
                  <li key={item.key}>
                    {item.href ? (
                      <Link to={item.href} aria-label={`${item.label}: ${item.value}`}>
                        {body}
                      </Link>
                    ) : (
                      <span aria-label={`${item.label}: ${item.value}`}>{body}</span>
                    )}
                  </li>
                );
              })}
            </ul>
          </section>
          <ValueSection value={stats.state.data.value} />
          <div className="charts">
            <ColumnChart title="Titles added per month" bars={monthBars(stats.state.data.added_by_month)} />
            {barCharts(stats.state.data).map(([title, bars, note]) => (
              <BarList key={title} title={title} bars={bars} note={note} />
            ))}
          </div>
        </>
      )}
    </Page>
  );
}
