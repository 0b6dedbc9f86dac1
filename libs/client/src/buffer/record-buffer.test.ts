import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordBuffer, type BufferEntry, type NewBufferEntry, type RecordBufferOptions } from './record-buffer';

function buffer(options: Partial<RecordBufferOptions> = {}): RecordBuffer<string> {
  return new RecordBuffer<string>({ maxBytes: 1000, maxRecords: 100, onFull: 'error', ...options });
}

function records(destination: string, names: string[], bytes = 10): NewBufferEntry<string>[] {
  return names.map((value) => ({ value, bytes, destination }));
}

function values(entries: Iterable<BufferEntry<string>>): string[] {
  return [...entries].map((entry) => entry.value);
}

function added(result: ReturnType<RecordBuffer<string>['tryAdd']>): readonly BufferEntry<string>[] {
  if (!result.ok) throw new Error(`expected the records to be accepted, got ${JSON.stringify(result.overflow)}`);
  return result.entries;
}

describe('RecordBuffer limits', () => {
  it('accepts records up to exactly the limits and counts usage', () => {
    const b = buffer({ maxRecords: 3, maxBytes: 30 });
    added(b.tryAdd(records('c1/t', ['a', 'b', 'c'])));
    expect(b.usage()).toEqual({ records: 3, bytes: 30 });
    expect(b.records).toBe(3);
    expect(b.bytes).toBe(30);
  });

  it('refuses the record over maxRecords with usage and limits, and keeps nothing of it', () => {
    const b = buffer({ maxRecords: 2 });
    added(b.tryAdd(records('c1/t', ['a', 'b'])));
    const result = b.tryAdd(records('c1/t', ['c']));
    expect(result).toEqual({
      ok: false,
      overflow: { limit: 'maxRecords', records: 2, bytes: 20, maxRecords: 2, maxBytes: 1000, adding: { records: 1, bytes: 10 } },
    });
    expect(b.usage()).toEqual({ records: 2, bytes: 20 });
    expect(values(b.pending('c1/t'))).toEqual(['a', 'b']);
  });

  it('refuses over maxBytes, naming the byte limit', () => {
    const b = buffer({ maxBytes: 25 });
    added(b.tryAdd(records('c1/t', ['a', 'b'])));
    const result = b.tryAdd(records('c1/t', ['c']));
    expect(result.ok === false && result.overflow.limit).toBe('maxBytes');
  });

  it('is all-or-nothing: a batch that does not fit whole adds none of its records', () => {
    const b = buffer({ maxRecords: 5 });
    added(b.tryAdd(records('c1/t', ['a', 'b', 'c'])));
    expect(b.tryAdd(records('c1/t', ['d', 'e', 'f'])).ok).toBe(false);
    expect(values(b.pending('c1/t'))).toEqual(['a', 'b', 'c']);
    expect(b.records).toBe(3);
  });

  it('frees space on remove, so a refused record fits afterwards', () => {
    const b = buffer({ maxRecords: 2 });
    const [a] = added(b.tryAdd(records('c1/t', ['a', 'b'])));
    expect(b.tryAdd(records('c1/t', ['c'])).ok).toBe(false);
    expect(b.remove([a!])).toBe(1);
    // A second acknowledgement of the same record changes nothing.
    expect(b.remove([a!])).toBe(0);
    expect(b.records).toBe(1);
    added(b.tryAdd(records('c1/t', ['c'])));
    expect(values(b.pending('c1/t'))).toEqual(['b', 'c']);
  });

  it('rejects nonsense limits and sizes with the field named', () => {
    expect(() => buffer({ maxRecords: 0 })).toThrow('maxRecords: expected a positive integer, got 0');
    expect(() => buffer({ maxBytes: Number.NaN })).toThrow('maxBytes: expected a positive integer, got NaN');
    expect(() => buffer().tryAdd([{ value: 'a', bytes: -1, destination: 'd' }])).toThrow('entries[0].bytes: expected a non-negative integer, got -1');
  });
});

describe('RecordBuffer drop-oldest', () => {
  it('evicts the oldest pending records to make room, returns and counts them', () => {
    const b = buffer({ maxRecords: 3, onFull: 'drop-oldest' });
    added(b.tryAdd(records('c1/a', ['a1'])));
    added(b.tryAdd(records('c1/b', ['b1'])));
    added(b.tryAdd(records('c1/a', ['a2'])));
    const result = b.tryAdd(records('c1/b', ['b2', 'b3']));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(values(result.evicted)).toEqual(['a1', 'b1']);
    expect(result.evicted.every((entry) => entry.state === 'removed')).toBe(true);
    expect(b.dropped).toBe(2);
    expect(b.usage()).toEqual({ records: 3, bytes: 30 });
    expect(values(b.pending('c1/a'))).toEqual(['a2']);
    expect(values(b.pending('c1/b'))).toEqual(['b2', 'b3']);
  });

  it('never evicts in-flight records: it evicts younger pending ones instead', () => {
    const b = buffer({ maxRecords: 3, onFull: 'drop-oldest' });
    added(b.tryAdd(records('c1/t', ['old1', 'old2', 'young'])));
    const inFlight = b.take('c1/t', 2);
    expect(values(inFlight)).toEqual(['old1', 'old2']);
    const result = b.tryAdd(records('c1/t', ['new']));
    expect(result.ok && values(result.evicted)).toEqual(['young']);
    expect(inFlight.every((entry) => entry.state === 'in-flight')).toBe(true);
  });

  it('refuses, evicting nothing, when in-flight records leave no room even without the pending ones', () => {
    const b = buffer({ maxRecords: 3, onFull: 'drop-oldest' });
    added(b.tryAdd(records('c1/t', ['f1', 'f2', 'p1'])));
    b.take('c1/t', 2);
    const result = b.tryAdd(records('c1/t', ['n1', 'n2']));
    expect(result.ok === false && result.overflow).toEqual({
      limit: 'maxRecords',
      records: 3,
      bytes: 30,
      maxRecords: 3,
      maxBytes: 1000,
      adding: { records: 2, bytes: 20 },
    });
    expect(values(b.pending('c1/t'))).toEqual(['p1']);
    expect(b.dropped).toBe(0);
  });

  it('under the error policy refuses instead of evicting', () => {
    const b = buffer({ maxRecords: 1, onFull: 'error' });
    added(b.tryAdd(records('c1/t', ['a'])));
    expect(b.tryAdd(records('c1/t', ['b'])).ok).toBe(false);
    expect(values(b.pending('c1/t'))).toEqual(['a']);
  });

  it('property: any sequence of operations keeps usage within limits, usage exact, and in-flight records unevicted', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), n: fc.integer({ min: 1, max: 4 }), bytes: fc.integer({ min: 0, max: 40 }), dest: fc.constantFrom('x', 'y') }),
      fc.record({ kind: fc.constant('take' as const), n: fc.integer({ min: 1, max: 3 }), dest: fc.constantFrom('x', 'y') }),
      fc.record({ kind: fc.constant('ack' as const), i: fc.nat() }),
      fc.record({ kind: fc.constant('fail' as const), i: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const b = new RecordBuffer<number>({ maxRecords: 8, maxBytes: 150, onFull: 'drop-oldest' });
        const live = new Set<BufferEntry<number>>();
        const inFlight: BufferEntry<number>[] = [];
        let next = 0;
        for (const step of ops) {
          if (step.kind === 'add') {
            const result = b.tryAdd(Array.from({ length: step.n }, () => ({ value: next++, bytes: step.bytes, destination: step.dest })));
            if (result.ok) {
              for (const e of result.evicted) {
                expect(inFlight).not.toContain(e);
                live.delete(e);
              }
              for (const e of result.entries) live.add(e);
            }
          } else if (step.kind === 'take') {
            inFlight.push(...b.take(step.dest, step.n));
          } else if (inFlight.length > 0) {
            const [entry] = inFlight.splice(step.i % inFlight.length, 1);
            if (step.kind === 'ack') {
              b.remove([entry!]);
              live.delete(entry!);
            } else b.release([entry!]);
          }
          expect(b.records).toBeLessThanOrEqual(8);
          expect(b.bytes).toBeLessThanOrEqual(150);
          expect(b.records).toBe(live.size);
          expect(b.bytes).toBe([...live].reduce((sum, e) => sum + e.bytes, 0));
          expect(b.inFlightRecords).toBe(inFlight.length);
          for (const dest of ['x', 'y']) {
            const seqs = [...b.pending(dest)].map((e) => e.seq);
            expect(seqs).toEqual([...seqs].sort((p, q) => p - q));
          }
        }
      }),
    );
  });
});

describe('RecordBuffer order', () => {
  it('takes the next N pending records of one destination in FIFO order, leaving other destinations alone', () => {
    const b = buffer();
    added(b.tryAdd([...records('c1/t', ['t1', 't2']), ...records('c2/t', ['u1']), ...records('c1/t', ['t3', 't4'])]));
    expect(values(b.take('c1/t', 3))).toEqual(['t1', 't2', 't3']);
    expect(values(b.pending('c1/t'))).toEqual(['t4']);
    expect(values(b.pending('c2/t'))).toEqual(['u1']);
    expect(b.pendingCount('c1/t')).toBe(1);
    expect(b.inFlightRecords).toBe(3);
    expect(b.inFlightBytes).toBe(30);
    expect(b.records).toBe(5);
  });

  it('stops at maxBytes but always takes one, so an oversized record cannot stall its queue', () => {
    const b = buffer();
    added(b.tryAdd([{ value: 'big', bytes: 500, destination: 'd' }, ...records('d', ['s1', 's2', 's3'], 100)]));
    expect(values(b.take('d', 10, 200))).toEqual(['big']);
    expect(values(b.take('d', 10, 200))).toEqual(['s1', 's2']);
  });

  it('lists only destinations that have pending records', () => {
    const b = buffer();
    added(b.tryAdd([...records('a', ['a1']), ...records('b', ['b1'])]));
    b.take('a', 1);
    expect([...b.destinations()]).toEqual(['b']);
  });

  it('puts released records back ahead of records accepted after them', () => {
    const b = buffer();
    added(b.tryAdd(records('d', ['r1', 'r2', 'r3', 'r4'])));
    const first = b.take('d', 2);
    added(b.tryAdd(records('d', ['r5'])));
    b.release([...first].reverse());
    expect(values(b.pending('d'))).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(first.every((entry) => entry.state === 'pending')).toBe(true);
    expect(b.inFlightRecords).toBe(0);
  });

  it('released records are the oldest again for drop-oldest', () => {
    const b = buffer({ maxRecords: 3, onFull: 'drop-oldest' });
    added(b.tryAdd(records('d', ['r1', 'r2', 'r3'])));
    b.release(b.take('d', 1));
    const result = b.tryAdd(records('d', ['r4']));
    expect(result.ok && values(result.evicted)).toEqual(['r1']);
  });

  it('retargets matching records to another destination keeping acceptance order, merged with what is there', () => {
    const b = buffer();
    added(b.tryAdd([...records('c1/t', ['a1']), ...records('c2/t', ['b1']), ...records('c1/t', ['a2', 'a3']), ...records('c2/t', ['b2'])]));
    const moved = b.retarget((entry) => entry.destination === 'c1/t' && entry.value !== 'a3', 'c2/t');
    expect(moved).toBe(2);
    expect(values(b.pending('c2/t'))).toEqual(['a1', 'b1', 'a2', 'b2']);
    expect(values(b.pending('c1/t'))).toEqual(['a3']);
    expect(values(b.take('c2/t', 10))).toEqual(['a1', 'b1', 'a2', 'b2']);
  });

  it('retargets per record with a function, e.g. a whole failed cluster to its standby', () => {
    const b = buffer();
    added(b.tryAdd([...records('c1/t', ['t1']), ...records('c1/u', ['u1']), ...records('c1/t', ['t2'])]));
    b.retarget((entry) => entry.destination.startsWith('c1/'), (entry) => entry.destination.replace('c1/', 'c9/'));
    expect(values(b.pending('c9/t'))).toEqual(['t1', 't2']);
    expect(values(b.pending('c9/u'))).toEqual(['u1']);
    expect([...b.destinations()].sort()).toEqual(['c9/t', 'c9/u']);
  });

  it('retargets in-flight records so that, when released, they queue at the new destination in order', () => {
    const b = buffer();
    added(b.tryAdd(records('c1/t', ['r1', 'r2', 'r3'])));
    const inFlight = b.take('c1/t', 2);
    b.retarget((entry) => entry.destination === 'c1/t', 'c2/t');
    added(b.tryAdd(records('c2/t', ['r4'])));
    expect(values(b.pending('c2/t'))).toEqual(['r3', 'r4']);
    b.release(inFlight);
    expect(values(b.pending('c2/t'))).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(b.pendingCount('c1/t')).toBe(0);
  });

  it('clear removes everything, oldest first, and frees all space', () => {
    const b = buffer();
    added(b.tryAdd([...records('a', ['a1']), ...records('b', ['b1']), ...records('a', ['a2'])]));
    b.take('b', 1);
    expect(values(b.clear())).toEqual(['a1', 'b1', 'a2']);
    expect(b.usage()).toEqual({ records: 0, bytes: 0 });
    expect(b.inFlightRecords).toBe(0);
    expect([...b.destinations()]).toEqual([]);
  });

  it('refuses handles from another buffer', () => {
    const one = buffer();
    const other = buffer();
    const [entry] = added(one.tryAdd(records('d', ['a'])));
    expect(() => other.remove([entry!])).toThrow('remove: entry 1 does not belong to this buffer');
  });
});
