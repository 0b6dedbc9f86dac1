// How the client bench judges a goal on paired figures (smart against its library within each
// round): on the median's confidence interval, not on the median alone, because rounds on a busy
// 2-CPU machine spread so widely that a median a little on either side of a goal says little.
import { median, medianInterval } from './round-stats';

/** Below this an interval says too little to judge a goal on (5 rounds give 93.75%, 4 give 87.5%). */
export const MIN_VERDICT_COVERAGE = 0.9;

export type Verdict = 'met' | 'missed' | 'not decided' | 'not judged';

export interface PairedJudgement {
  verdict: Verdict;
  median: number;
  low: number;
  high: number;
  coverage: number;
}

/**
 * `atLeast`: met when the whole interval lies at or above the goal, missed when it lies below.
 * `atMost`: met when it lies at or below, missed when above. Not decided when it holds the goal;
 * not judged when the rounds are too few for an interval.
 */
export function judgePaired(pairs: readonly number[], goal: { atLeast: number } | { atMost: number }): PairedJudgement {
  const { low, high, coverage } = medianInterval(pairs);
  const figures = { median: median(pairs), low, high, coverage };
  if (coverage < MIN_VERDICT_COVERAGE) return { verdict: 'not judged', ...figures };
  if ('atLeast' in goal) return { verdict: low >= goal.atLeast ? 'met' : high < goal.atLeast ? 'missed' : 'not decided', ...figures };
  return { verdict: high <= goal.atMost ? 'met' : low > goal.atMost ? 'missed' : 'not decided', ...figures };
}
