import { describe, expect, it } from 'vitest';
import { LingerAccumulator, type LingerOptions, type SendBatch } from './linger-accumulator';

interface Sent {
  records: string[];
  concurrent: number;
}

/** A fake request: echoes each record, remembers every batch and how many were in flight. */
function recorder(fail: (records: string[]) => boolean = () => false): { sent: Sent[]; send: SendBatch<string, string> } {
  const sent: Sent[] = [];
  let inFlight = 0;
  return {
    sent,
    async send(records) {
      inFlight += 1;
      sent.push({ records, concurrent: inFlight });
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      if (fail(records)) throw new Error(`rejected ${records.join(',')}`);
      return records.map((r) => `ack:${r}`);
    },
  };
}

const far = (): number => Date.now() + 60_000;

/** Bounds no test reaches unless it sets them. */
function limits(set: Partial<LingerOptions>): LingerOptions {
  return { lingerMs: 0, maxBatchRecords: 100, maxBatchBytes: 1_000, maxRequestBytes: 1_000_000, ...set };
}

/** Records 'p:xxxx' go to partition p and weigh their text after the prefix (4 bytes here). */
function partitioned(set: Partial<LingerOptions>, send: SendBatch<string, string>): LingerAccumulator<string, string> {
  return new LingerAccumulator<string, string>(limits(set), (r) => r.length - 2, send, (r) => Number(r[0]));
}

describe('LingerAccumulator', () => {
  it('sends the calls made within the linger as one batch and gives each caller its own results', async () => {
    const { sent, send } = recorder();
    const accumulator = new LingerAccumulator<string, string>(limits({ lingerMs: 20 }), () => 1, send);
    const results = await Promise.all([accumulator.add(['a', 'b'], far()), accumulator.add(['c'], far()), accumulator.add(['d', 'e', 'f'], far())]);
    expect(sent.map((s) => s.records)).toEqual([['a', 'b', 'c', 'd', 'e', 'f']]);
    expect(results).toEqual([['ack:a', 'ack:b'], ['ack:c'], ['ack:d', 'ack:e', 'ack:f']]);
  });

  it('splits at the size bound, keeps call order and has one batch in flight at a time', async () => {
    const { sent, send } = recorder();
    const accumulator = new LingerAccumulator<string, string>(limits({ maxBatchBytes: 10 }), (r) => r.length, send);
    const results = await Promise.all([accumulator.add(['aaaa', 'bbbb', 'cccc'], far()), accumulator.add(['dddd'], far())]);
    expect(sent.map((s) => s.records)).toEqual([['aaaa', 'bbbb'], ['cccc', 'dddd']]);
    expect(sent.every((s) => s.concurrent === 1)).toBe(true);
    expect(results).toEqual([['ack:aaaa', 'ack:bbbb', 'ack:cccc'], ['ack:dddd']]);
  });

  it('sends the batches that closed while one was in flight together when it returns, within the size bound', async () => {
    const { sent, send } = recorder();
    const accumulator = new LingerAccumulator<string, string>(limits({ maxBatchRecords: 3 }), () => 1, send);
    const first = accumulator.add(['a'], far());
    // Each of these closes on a turn of its own while 'a' is in flight (5 ms).
    const later: Promise<string[]>[] = [];
    for (const record of ['b', 'c', 'd', 'e']) {
      await new Promise((resolve) => setImmediate(resolve));
      later.push(accumulator.add([record], far()));
    }
    const results = await Promise.all([first, ...later]);
    expect(sent.map((s) => s.records)).toEqual([['a'], ['b', 'c', 'd'], ['e']]);
    expect(results).toEqual([['ack:a'], ['ack:b'], ['ack:c'], ['ack:d'], ['ack:e']]);
  });

  it('bounds bytes per partition, so one request carries up to the bound for each partition', async () => {
    const { sent, send } = recorder();
    // At most 10 bytes per partition.
    const accumulator = partitioned({ maxBatchBytes: 10 }, send);
    await Promise.all([accumulator.add(['0:aaaa', '1:bbbb', '0:cccc', '1:dddd', '2:eeee', '0:ffff'], far())]);
    expect(sent.map((s) => s.records)).toEqual([['0:aaaa', '1:bbbb', '0:cccc', '1:dddd', '2:eeee'], ['0:ffff']]);
  });

  it('bounds the bytes of a whole request over all its partitions too', async () => {
    const { sent, send } = recorder();
    const accumulator = partitioned({ maxBatchBytes: 10, maxRequestBytes: 12 }, send);
    await accumulator.add(['0:aaaa', '1:bbbb', '2:cccc', '3:dddd'], far());
    expect(sent.map((s) => s.records)).toEqual([['0:aaaa', '1:bbbb', '2:cccc'], ['3:dddd']]);
  });

  it('does not merge a call made now with a backlog more than a second older (its deadline would be theirs)', async () => {
    const { sent, send } = recorder();
    const accumulator = new LingerAccumulator<string, string>(limits({ maxRequestBytes: 1_000 }), () => 1, send);
    const now = Date.now();
    const first = accumulator.add(['a'], now + 60_000);
    await new Promise((resolve) => setImmediate(resolve));
    // Both close while 'a' is in flight; their deadlines are 5 s apart.
    const old = accumulator.add(['b'], now + 10_000);
    await new Promise((resolve) => setImmediate(resolve));
    const recent = accumulator.add(['c'], now + 15_000);
    await Promise.all([first, old, recent]);
    expect(sent.map((s) => s.records)).toEqual([['a'], ['b'], ['c']]);
  });

  it('fails only the callers of a failed batch and never sends the rest of their records', async () => {
    const { sent, send } = recorder((records) => records.includes('a2'));
    const accumulator = new LingerAccumulator<string, string>(limits({ maxBatchRecords: 2 }), () => 1, send);
    const spanning = accumulator.add(['a1', 'a2', 'a3'], far());
    const later = accumulator.add(['b1'], far());
    await expect(spanning).rejects.toThrow('rejected a1,a2');
    await expect(later).resolves.toEqual(['ack:b1']);
    expect(sent.map((s) => s.records)).toEqual([['a1', 'a2'], ['b1']]);
  });

  it('sends a full batch at once, not after the linger', async () => {
    const { sent, send } = recorder();
    const accumulator = new LingerAccumulator<string, string>(limits({ lingerMs: 60_000, maxBatchRecords: 2 }), () => 1, send);
    const full = accumulator.add(['a', 'b'], far());
    expect(sent.map((s) => s.records)).toEqual([['a', 'b']]);
    await expect(full).resolves.toEqual(['ack:a', 'ack:b']);
  });

  it('hands the next batch to send before the callers of the returned one hear back', async () => {
    const { sent, send } = recorder();
    const accumulator = new LingerAccumulator<string, string>(limits({ maxBatchRecords: 1 }), () => 1, send);
    const batchesSentWhenFirstResolved = accumulator.add(['a'], far()).then(() => sent.length);
    const second = accumulator.add(['b'], far());
    await expect(batchesSentWhenFirstResolved).resolves.toBe(2);
    await expect(second).resolves.toEqual(['ack:b']);
    expect(sent.every((s) => s.concurrent === 1)).toBe(true);
  });

  it('passes the earliest deadline of a batch and sends at once on flush', async () => {
    const deadlines: number[] = [];
    const accumulator = new LingerAccumulator<string, string>(limits({ lingerMs: 60_000 }), () => 1, async (records, deadline) => {
      deadlines.push(deadline);
      return records;
    });
    const first = accumulator.add(['x'], 2_000);
    const second = accumulator.add(['y'], 1_000);
    await accumulator.flush();
    await expect(Promise.all([first, second])).resolves.toEqual([['x'], ['y']]);
    expect(deadlines).toEqual([1_000]);
  });
});
