// The open-loop pacing of the latency measurement: sends keep their schedule whatever the
// acknowledgements do, and each latency is its own record's.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { sendPaced } from './paced-sends';

describe('sendPaced', () => {
  it('keeps sending on schedule while acknowledgements are slow, and times each record from its own send', async () => {
    const sentAt: number[] = [];
    const start = performance.now();
    const sample = await sendPaced(100, 1_000, async (i) => {
      sentAt[i] = performance.now() - start;
      await sleep(i % 10 === 0 ? 40 : 1);
    });
    // A closed loop would have taken 10 × 40 ms + 90 × 1 ms; on schedule the last send is ~99 ms in.
    expect(sentAt[99]).toBeGreaterThanOrEqual(95);
    expect(sentAt[99]).toBeLessThan(400);
    expect(sample.latenciesMs).toHaveLength(100);
    expect(Math.min(...sample.latenciesMs.filter((_, i) => i % 10 === 0))).toBeGreaterThanOrEqual(39);
    expect(Math.max(...sample.latenciesMs.filter((_, i) => i % 10 !== 0))).toBeLessThan(39);
  });

  it('fails with the first failed send once every send has settled', async () => {
    await expect(sendPaced(20, 1_000, async (i) => (i === 5 ? Promise.reject(new Error('record 5 refused')) : sleep(1)))).rejects.toThrow('record 5 refused');
  });
});
