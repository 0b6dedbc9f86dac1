import { describe, expect, it } from 'vitest';
import { retry } from './retry';

const fast = { initialMs: 1, maxMs: 4 };

/** Work that fails `failures` times with the errors given, then answers `value`. */
function failing<T>(errors: unknown[], value: T): { work: (attempt: number) => Promise<T>; attempts: number[] } {
  const attempts: number[] = [];
  return {
    attempts,
    work: async (attempt) => {
      attempts.push(attempt);
      const error = errors[attempt];
      if (error !== undefined) throw error;
      return value;
    },
  };
}

describe('retry', () => {
  it('answers with the first success, after waiting the backoff between failures', async () => {
    const { work, attempts } = failing([new Error('a'), new Error('b'), new Error('c')], 'ok');
    const waits: number[] = [];
    await expect(retry(work, { backoff: fast, onRetry: (_error, _attempt, delayMs) => waits.push(delayMs) })).resolves.toBe('ok');
    expect(attempts).toEqual([0, 1, 2, 3]);
    expect(waits).toEqual([1, 2, 4]);
  });

  it('rejects at once with a failure that retryIf says is not worth repeating', async () => {
    const fatal = new Error('fatal');
    const { work, attempts } = failing([new Error('transient'), fatal], 'never');
    await expect(retry(work, { backoff: fast, retryIf: (error) => error !== fatal })).rejects.toBe(fatal);
    expect(attempts).toEqual([0, 1]);
  });

  it('gives up with the last error after maxAttempts', async () => {
    const errors = [new Error('1'), new Error('2'), new Error('3')];
    const { work, attempts } = failing(errors, 'never');
    await expect(retry(work, { backoff: fast, maxAttempts: 2 })).rejects.toBe(errors[1]);
    expect(attempts).toEqual([0, 1]);
  });

  it('does not start a wait that would end at or after the deadline, and says so through onDeadline', async () => {
    const last = new Error('still down');
    const { work, attempts } = failing([new Error('down'), last], 'never');
    // The first failure is seen at 1_000 (its 10 ms wait ends before 1_050), the second at 1_045
    // (its 20 ms wait would end after it).
    const clock = [1_000, 1_045];
    const rejected = retry(work, {
      backoff: { initialMs: 10, maxMs: 100 },
      deadline: 1_050,
      now: () => clock.shift() ?? Infinity,
      onDeadline: (error) => new Error('timed out', { cause: error }),
    });
    await expect(rejected).rejects.toMatchObject({ message: 'timed out', cause: last });
    expect(attempts).toEqual([0, 1]);
  });

  it('stops waiting when aborted and rejects with the abort reason', async () => {
    const controller = new AbortController();
    const attempts: number[] = [];
    const running = retry(
      async (attempt) => {
        attempts.push(attempt);
        throw new Error('down');
      },
      { backoff: { initialMs: 60_000, maxMs: 60_000 }, signal: controller.signal },
    );
    const reason = new Error('closed');
    await expect.poll(() => attempts.length).toBe(1);
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(attempts).toEqual([0]);
  });

  it('makes no attempt once aborted', async () => {
    const { work, attempts } = failing([], 'ok');
    await expect(retry(work, { backoff: fast, signal: AbortSignal.abort(new Error('gone')) })).rejects.toThrow('gone');
    expect(attempts).toEqual([]);
  });
});
