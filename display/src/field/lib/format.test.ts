import { describe, expect, it } from 'vitest';
import { formatDuration } from './format.ts';

describe(formatDuration.name, () => {
  it('shows minutes and seconds, hours when there are any, days when there are any', () => {
    expect(formatDuration(65_000)).toBe('1:05');
    expect(formatDuration(-65_000)).toBe('1:05');
    expect(formatDuration(3_600_000 + 5_000)).toBe('1:00:05');
    expect(formatDuration(86_400_000 + 61_000)).toBe('1d 0:01:01');
  });
});
