import { describe, expect, it } from 'vitest';
import type { SessionKey } from './consume-session';
import { ConsumeSessions, type ManagedSession } from './consume-sessions';
import { HttpError } from './http-error';

class FakeSession implements ManagedSession {
  closed = false;
  idle = false;
  constructor(
    readonly key: SessionKey,
    private readonly starting: Promise<void>,
  ) {}
  start = (): Promise<void> => this.starting;
  isIdle = (): boolean => this.idle;
  close = async (): Promise<void> => {
    this.closed = true;
  };
}

const key = (consumer: string): SessionKey => ({ application: 'billing', group: 'readers', topic: 'payments', consumer });

function sessions(options: { max?: number; starting?: () => Promise<void> } = {}) {
  const made: FakeSession[] = [];
  const ended: string[] = [];
  const registry = new ConsumeSessions<FakeSession>({
    create: (k) => {
      const session = new FakeSession(k, options.starting?.() ?? Promise.resolve());
      made.push(session);
      return session;
    },
    idleMs: 1_000,
    max: options.max ?? 10,
    onEnded: (k, reason) => ended.push(`${k.consumer}:${reason}`),
  });
  return { registry, made, ended };
}

describe('ConsumeSessions', () => {
  it('keeps one instance per application, group, topic and consumer id, made once even when asked for twice at once', async () => {
    const { registry, made } = sessions();
    const [a, b] = await Promise.all([registry.acquire(key('c1')), registry.acquire(key('c1'))]);
    expect(a).toBe(b);
    expect(await registry.acquire({ ...key('c1'), application: 'other' })).not.toBe(a);
    expect(made).toHaveLength(2);
    expect(registry.find(key('c1'))).toBe(a);
    expect(registry.find(key('c2'))).toBeUndefined();
  });

  it('ends idle instances on a sweep and keeps the others', async () => {
    const { registry, made, ended } = sessions();
    await registry.acquire(key('c1'));
    await registry.acquire(key('c2'));
    made[0]!.idle = true;
    await registry.sweep();
    expect([made[0]!.closed, made[1]!.closed]).toEqual([true, false]);
    expect(registry.find(key('c1'))).toBeUndefined();
    expect(ended).toEqual(['c1:idle']);
    // The same id again is a new instance (a new member of the group).
    expect(await registry.acquire(key('c1'))).not.toBe(made[0]);
  });

  it('forgets an instance whose start failed, so the next request tries again', async () => {
    let fail = true;
    const { registry, made, ended } = sessions({ starting: () => (fail ? Promise.reject(new Error('no such topic')) : Promise.resolve()) });
    await expect(registry.acquire(key('c1'))).rejects.toThrow('no such topic');
    await new Promise((resolve) => setImmediate(resolve));
    expect(made[0]!.closed).toBe(true);
    expect(ended).toEqual(['c1:failed']);
    fail = false;
    await expect(registry.acquire(key('c1'))).resolves.toBe(made[1]);
  });

  it('refuses an instance past its most with a 503 to retry, and ends every instance when stopping', async () => {
    const { registry, made } = sessions({ max: 2 });
    await registry.acquire(key('c1'));
    await registry.acquire(key('c2'));
    const refused = await registry.acquire(key('c3')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HttpError);
    expect([(refused as HttpError).status, (refused as HttpError).options.retryAfterSeconds]).toEqual([503, 1]);
    await registry.closeAll();
    expect(made.every((s) => s.closed)).toBe(true);
    expect(registry.size).toBe(0);
  });

  it('does not sweep an instance that is still starting', async () => {
    let started!: () => void;
    const { registry, made } = sessions({ starting: () => new Promise<void>((resolve) => (started = resolve)) });
    const acquiring = registry.acquire(key('c1'));
    made[0]!.idle = true;
    await registry.sweep();
    expect(made[0]!.closed).toBe(false);
    started();
    await acquiring;
  });
});
