import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { HandlerSlots } from './handler-slots';

async function most(slots: number, jobs: number): Promise<{ most: number; order: number[] }> {
  const limiter = new HandlerSlots(slots);
  let running = 0;
  let peak = 0;
  const order: number[] = [];
  await Promise.all(
    Array.from({ length: jobs }, (_, i) =>
      limiter.run(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await sleep(5);
        order.push(i);
        running -= 1;
      }),
    ),
  );
  return { most: peak, order };
}

describe('HandlerSlots', () => {
  it('runs one handler at a time with one slot, in arrival order', async () => {
    expect(await most(1, 5)).toEqual({ most: 1, order: [0, 1, 2, 3, 4] });
  });

  it('runs up to the number of slots at once', async () => {
    expect((await most(3, 9)).most).toBe(3);
  });

  it('frees the slot of a handler that failed', async () => {
    const limiter = new HandlerSlots(1);
    await expect(limiter.run(async () => Promise.reject(new Error('failed')))).rejects.toThrow('failed');
    expect(await limiter.run(async () => 'next')).toBe('next');
  });
});
