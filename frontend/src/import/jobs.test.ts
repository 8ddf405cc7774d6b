import { describe, expect, it } from 'vitest';
import { extraCounts, isFinished, notImported, pollDelay, progressPercent, reasonsKept, reportLines, summaryLine } from './jobs';

describe('import jobs', () => {
  it('knows when a job is over', () => {
    expect(['queued', 'running'].map((s) => isFinished(s as never))).toEqual([false, false]);
    expect(['succeeded', 'failed', 'cancelled'].every((s) => isFinished(s as never))).toBe(true);
  });

  it('shows progress only once the total is known', () => {
    expect(progressPercent({ progress: { total: null, processed: 3 } })).toBeNull();
    expect(progressPercent({ progress: { total: 8, processed: 2 } })).toBe(25);
  });

  it('polls quickly at first and eases off', () => {
    expect(pollDelay(0)).toBe(1000);
    expect(pollDelay(100)).toBe(5000);
  });

  it('summarizes the outcome', () => {
    expect(summaryLine({ summary: { created: 3, updated: 1, skipped: 2, failed: 1, errors: [] } })).toBe(
      '3 created, 1 updated, 2 skipped, 1 failed',
    );
  });

  it('labels the counts a summary has beyond the four buckets', () => {
    const summary = { created: 3, updated: 0, skipped: 0, failed: 0, errors: [], errors_total: 0, users_created: 2, spaces: 1, note: 'x' };
    expect(extraCounts(summary)).toEqual([
      ['Users created', 2],
      ['Spaces', 1],
    ]);
    expect(extraCounts({ created: 1, updated: 0, skipped: 0, failed: 0, errors: [] })).toEqual([]);
  });

  it('counts the rows the errors download lists: skipped and failed', () => {
    expect(notImported({ skipped: 2, failed: 1 })).toBe(3);
  });

  it('knows how many reasons a job kept beyond the ones its answer carries', () => {
    const errors = [{ item: 'row 2', reason: 'no title' }];
    expect(reasonsKept({ errors, errors_total: 250 })).toBe(250);
    expect(reasonsKept({ errors })).toBe(1);
  });

  it('puts an import report in words: facts, then each kind in a fixed order with its non-zero counts', () => {
    const report = {
      users: { created: 2, updated: 0, unchanged: 1, failed: 0 },
      copies: { created: 0 },
      titles: { created: 0, updated: 0, unchanged: 0, failed: 0, not_imported: 3 },
      albums: { created: 1 },
      generation: '2.x',
      schema_version: 27,
      note: null,
    };
    expect(reportLines(report)).toEqual({
      facts: ['Generation: 2.x', 'Schema version: 27'],
      kinds: [
        ['Users', '2 created, 1 unchanged'],
        ['Titles', '3 not imported'],
        ['Copies', 'none'],
        ['Albums', '1 created'],
      ],
    });
  });

  it('names the TMDB look-ups of a file import in words', () => {
    expect(reportLines({ enriched: 2, not_enriched: 1 })).toEqual({
      facts: ['TMDB ids found: 2', 'Left without a TMDB id: 1'],
      kinds: [],
    });
  });
});
