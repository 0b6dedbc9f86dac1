import type { ConsumerTransport } from '@flotilla/kafka';
import { describe, expect, it, vi } from 'vitest';
import { ClusterLane } from './cluster-lane';

/** A transport whose connect fails `failures` times; only connect and disconnect are used. */
function transport(failures: number): ConsumerTransport & { attempts: number; disconnected: boolean } {
  const fake = {
    attempts: 0,
    disconnected: false,
    async connect() {
      fake.attempts += 1;
      if (fake.attempts <= failures) throw new Error('cluster down');
    },
    async disconnect() {
      fake.disconnected = true;
    },
  };
  return fake as unknown as ConsumerTransport & { attempts: number; disconnected: boolean };
}

const fast = { initialMs: 1, maxMs: 2 };

describe('ClusterLane', () => {
  it('keeps connecting a cluster that is down and starts reading once it answers', async () => {
    const down = transport(3);
    const started: string[] = [];
    const lane = new ClusterLane('c1', down, ['t'], async (l) => void started.push(l.cluster), fast);
    await lane.connected;
    expect(down.attempts).toBe(4);
    expect(started).toEqual(['c1']);
  });

  it('stops retrying when closed, disconnects, and tells onConnected it is closed', async () => {
    const down = transport(Infinity);
    const closedWhenStarted: boolean[] = [];
    const lane = new ClusterLane('c1', down, ['t'], async (l) => void closedWhenStarted.push(l.closed), { initialMs: 60_000, maxMs: 60_000 });
    await vi.waitFor(() => expect(down.attempts).toBe(1));
    await lane.close();
    await lane.connected;
    expect(closedWhenStarted).toEqual([true]);
    expect(down.disconnected).toBe(true);
    expect(down.attempts).toBe(1);
  });
});
