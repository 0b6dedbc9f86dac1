// The proxy under a topic move: records keep being answered 200 while the topic's producers
// switch clusters, and every record answered 200 is read back afterwards by a new consumer group
// (a sequence audit), from the source during its tail and the target after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll, startProxyPlatform, type ProxyPlatform, type ProxyProcess } from './proxy-platform';

let platform: ProxyPlatform;
let proxy: ProxyProcess;

beforeAll(async () => {
  platform = await startProxyPlatform();
  await platform.startWorker();
  proxy = await platform.startProxy();
}, 120_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

describe('HTTP proxy under operations', () => {
  it('keeps answering during a topic move; every record answered 200 is in Kafka', async () => {
    const topic = await platform.topic(3, 60_000);
    const app = await platform.application([{ verb: 'PUT', resource: '/topics/**' }]);
    const answered: string[] = [];
    const refused = new Map<number, number>();
    let producing = true;
    const load = (async () => {
      for (let i = 0; producing; i++) {
        const values = Array.from({ length: 10 }, (_, j) => `s${i}-${j}`);
        const answer = await proxy.post(`/v1/topics/${topic}/records`, { records: values.map((value) => ({ value })) }, { token: app.token });
        if (answer.status === 200) answered.push(...values.map((value) => JSON.stringify(value)));
        else refused.set(answer.status, (refused.get(answer.status) ?? 0) + 1);
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const admin = platform.management.admin();
    const { workflowId } = await admin.operations.moveTopic.mutate({ topic, to: 'fronting-2', pollMs: 300 });
    const deadline = Date.now() + 90_000;
    let phase: string | undefined;
    while (phase !== 'tail' && Date.now() < deadline) {
      phase = (await admin.operations.status.query({ workflowId })).progress?.phase;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(phase).toBe('tail');
    // Producers (the proxy among them) are on the target now; keep writing there a while.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    producing = false;
    await load;
    expect((await admin.topics.describe.query({ name: topic })).placement.producers).toEqual(['fronting-2']);
    expect(answered.length).toBeGreaterThan(500);
    const read = new Set(await readAll(platform, topic, (values) => values.length >= answered.length, 60_000));
    expect(answered.filter((value) => !read.has(value))).toEqual([]);
    // The switch itself refuses nothing: a record waits for its new cluster instead.
    expect([...refused.keys()].filter((status) => status !== 503)).toEqual([]);
  }, 180_000);
});
