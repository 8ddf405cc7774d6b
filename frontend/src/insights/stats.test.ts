import { describe, expect, it } from 'vitest';
import { attentionItems, countEntries, decadeBars, formatBars, genreBars, monthBars, sourceBars } from './stats';

describe('stats → chart data', () => {
  it('reads counts sent as a map or as a list', () => {
    expect(countEntries({ DVD: 3, 'Blu-ray': 5 })).toEqual([
      ['DVD', 3],
      ['Blu-ray', 5],
    ]);
    expect(countEntries([{ key: 'DVD', count: 3 }, { label: 'VHS', value: 1 }, { key: '', count: 9 }])).toEqual([
      ['DVD', 3],
      ['VHS', 1],
    ]);
    expect(countEntries(undefined)).toEqual([]);
  });

  it('orders formats as on the shelf and links each to the filtered library', () => {
    const bars = formatBars({ DVD: 10, '4K UHD': 5, 'Blu-ray': 20 });
    expect(bars.map((b) => b.key)).toEqual(['4K UHD', 'Blu-ray', 'DVD']);
    expect(bars.map((b) => b.percent)).toEqual([25, 100, 50]);
    expect(bars[0]?.href).toBe('/?format=4K+UHD');
  });

  it('labels decades and links them to the year range', () => {
    const bars = decadeBars({ '1990': 4, '1980s': 2, nonsense: 1 });
    expect(bars.map((b) => b.label)).toEqual(['1980s', '1990s']);
    expect(bars[1]?.href).toBe('/?year_min=1990&year_max=1999&sort=year&order=asc');
  });

  it('keeps the biggest genres first', () => {
    const bars = genreBars({ Drama: 5, Comedy: 9, Action: 5 }, 2);
    expect(bars.map((b) => b.key)).toEqual(['Comedy', 'Action']);
    expect(bars[0]?.href).toBe('/?genre=Comedy');
  });

  it('names sources in words and links known ones', () => {
    const bars = sourceBars({ plex: 7, manual: 3 });
    expect(bars.map((b) => b.label)).toEqual(['Plex', 'Added by hand']);
    expect(bars[0]?.href).toBe('/?source=plex');
  });

  it('puts months oldest first with readable labels', () => {
    const bars = monthBars([
      { key: '2024-02', count: 1 },
      { key: '2023-12-01', count: 4 },
    ]);
    expect(bars.map((b) => b.label)).toEqual(['Dec 2023', 'Feb 2024']);
  });

  it('lists what needs attention with links, adding failed imports when known', () => {
    const items = attentionItems({ attention: { no_poster: 2, no_copies: 1, duplicate_groups: 3 } }, 4, { canSeeDuplicates: true });
    expect(items.map((i) => [i.key, i.value, i.href])).toEqual([
      ['no_poster', 2, '/?missing=poster'],
      ['no_copies', 1, '/?missing=copies'],
      ['duplicate_groups', 3, '/duplicates'],
      ['failed_imports', 4, undefined], // the import page lists every job, not these only
    ]);
  });

  it('shows a viewer only what a viewer may open', () => {
    const items = attentionItems({ attention: { no_poster: 0, no_copies: 0, duplicate_groups: 5 } }, null, { canSeeDuplicates: false });
    expect(items.map((i) => i.key)).toEqual(['no_poster', 'no_copies']);
  });

  it('links a bar only to a list of exactly its titles', () => {
    expect(sourceBars({ collectz: 2 })[0]?.href).toBeUndefined();
    expect(formatBars({ Laserdisc: 1 })[0]?.href).toBeUndefined();
    expect(monthBars({ '2024-02': 3 })[0]?.href).toBeUndefined(); // the library has no date-added filter
  });
});
