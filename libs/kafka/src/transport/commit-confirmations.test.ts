import { afterEach, describe, expect, it, vi } from 'vitest';
import { CommitConfirmations } from './commit-confirmations';

describe('CommitConfirmations', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('pairs each confirmation with the oldest commit still waiting', async () => {
    const commits = new CommitConfirmations();
    const failure = new Error('rejected');
    const first = commits.next(() => new Error('timeout'));
    const second = commits.next(() => new Error('timeout'));
    commits.confirm(undefined);
    commits.confirm(failure);
    await expect(first).resolves.toBeUndefined();
    await expect(second).rejects.toBe(failure);
  });

  it('fails a commit that waits too long, and the next confirmation still goes to the commit after it', async () => {
    vi.useFakeTimers();
    const commits = new CommitConfirmations(1_000);
    const late = commits.next(() => new Error('not confirmed within 1000 ms'));
    vi.advanceTimersByTime(600);
    const next = commits.next(() => new Error('timeout'));
    vi.advanceTimersByTime(400);
    await expect(late).rejects.toThrow('not confirmed within 1000 ms');
    // The late commit's own confirmation arrives, then the next one's.
    commits.confirm(undefined);
    commits.confirm(new Error('second failed'));
    await expect(next).rejects.toThrow('second failed');
  });

  it('fails every commit still waiting when the consumer closes', async () => {
    const commits = new CommitConfirmations();
    const waiting = [commits.next(() => new Error('timeout')), commits.next(() => new Error('timeout'))];
    commits.failAll(new Error('closed'));
    for (const commit of waiting) await expect(commit).rejects.toThrow('closed');
    commits.confirm(undefined);
  });
});
