import { describe, expect, it } from 'vitest';
import { formatBuildLabel } from './buildLabel';

describe('formatBuildLabel', () => {
  it('shows the version with a v and the short git sha', () => {
    expect(formatBuildLabel('0.1.0', 'abc1234def5678')).toBe('v0.1.0 · abc1234');
  });

  it('does not double a v the version already has', () => {
    expect(formatBuildLabel('v0.1.0', 'abc1234')).toBe('v0.1.0 · abc1234');
  });

  it('keeps a non-numeric version such as "dev" as it is', () => {
    expect(formatBuildLabel('dev', 'abc1234')).toBe('dev · abc1234');
  });

  it('leaves out a sha the build did not know', () => {
    expect(formatBuildLabel('0.1.0', 'unknown')).toBe('v0.1.0');
    expect(formatBuildLabel('0.1.0', '')).toBe('v0.1.0');
    expect(formatBuildLabel('0.1.0', null)).toBe('v0.1.0');
  });

  it('shows only the sha when the version is missing', () => {
    expect(formatBuildLabel(undefined, 'abc1234')).toBe('abc1234');
  });

  it('is empty when nothing is known', () => {
    expect(formatBuildLabel('', 'unknown')).toBe('');
  });
});
