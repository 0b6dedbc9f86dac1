// How a goal is judged on paired figures: by where the median's interval lies, not the median.
import { describe, expect, it } from 'vitest';
import { judgePaired } from './paired-verdict';

describe('judgePaired', () => {
  const around = (centre: number, width: number): number[] => Array.from({ length: 15 }, (_, i) => centre + ((i - 7) / 7) * width);

  it('meets an at-least goal only when the whole interval lies at or above it', () => {
    expect(judgePaired(around(1.0, 0.02), { atLeast: 0.95 }).verdict).toBe('met');
    expect(judgePaired(around(0.96, 0.05), { atLeast: 0.95 }).verdict).toBe('not decided');
    expect(judgePaired(around(0.9, 0.02), { atLeast: 0.95 }).verdict).toBe('missed');
  });

  it('meets an at-most goal only when the whole interval lies at or below it', () => {
    expect(judgePaired(around(1, 0.5), { atMost: 5 }).verdict).toBe('met');
    expect(judgePaired(around(5, 1), { atMost: 5 }).verdict).toBe('not decided');
    expect(judgePaired(around(8, 1), { atMost: 5 }).verdict).toBe('missed');
  });

  it('does not judge on too few rounds for an interval', () => {
    expect(judgePaired([1, 1, 1, 1], { atLeast: 0.95 }).verdict).toBe('not judged');
  });
});
