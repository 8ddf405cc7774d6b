import { describe, expect, it } from 'vitest';
import { cleanTag, withTag, withoutTag } from './tagNames';

describe('tag names', () => {
  it('trims and joins inner spaces', () => {
    expect(cleanTag('  rainy   day ')).toBe('rainy day');
  });

  it('adds a tag once whatever its case', () => {
    const tags = ['Noir'];
    expect(withTag(tags, ' Rainy day ')).toEqual(['Noir', 'Rainy day']);
    expect(withTag(tags, 'NOIR')).toBe(tags);
  });

  it('refuses an empty or too long name', () => {
    const tags = ['Noir'];
    expect(withTag(tags, '   ')).toBe(tags);
    expect(withTag(tags, 'x'.repeat(51))).toBe(tags);
  });

  it('removes a tag', () => {
    expect(withoutTag(['Noir', 'Rainy day'], 'Noir')).toEqual(['Rainy day']);
  });
});
