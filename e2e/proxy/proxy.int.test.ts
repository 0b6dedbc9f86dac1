// The HTTP proxy end to end: applications, tokens and policies made through a real management,
// records written over HTTP and read back from Kafka with a consumer group created afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpConsumer } from './http-consumer';
import { readAll, startProxyPlatform, type ProxyPlatform, type ProxyProcess } from './proxy-platform';

let platform: ProxyPlatform;
let proxy: ProxyProcess;

beforeAll(async () => {
  platform = await startProxyPlatform();
  proxy = await platform.startProxy();
}, 120_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

const records = (values: unknown[]) => ({ records: values.map((value) => ({ value })) });

describe('HTTP proxy: produce', () => {
  it('writes records with acks=all and answers where each went; they are in Kafka', async () => {
    const topic = await platform.topic();
    const app = await platform.application([{ verb: 'PUT', resource: '/topics/**' }]);
    const answer = await proxy.post(`/v1/topics/${topic}/records`, { records: [{ key: 'k', value: { n: 1 } }, { value: 'text' }, { value: null }] }, { token: app.token });
    expect(answer.status).toBe(200);
    expect(answer.body.results).toHaveLength(3);
    for (const result of answer.body.results) expect(result.written).toEqual([{ cluster: 'fronting-1', partition: expect.any(Number), offset: expect.stringMatching(/^\d+$/) }]);
    expect((await readAll(platform, topic, (v) => v.length >= 3)).sort()).toEqual(['', '"text"', '{"n":1}'].sort());
  }, 60_000);

  it('heartbeats to management as a proxy, with what it took from and gave to each application', async () => {
    const topic = await platform.topic(1);
    const app = await platform.application([
      { verb: 'PUT', resource: '/topics/**' },
      { verb: 'GET', resource: '/topics/**' },
    ]);
    const answer = await proxy.post(`/v1/topics/${topic}/records`, { records: [{ value: 1 }, { value: 2 }, { value: 3 }] }, { token: app.token });
    expect(answer.status).toBe(200);
    await httpConsumer(proxy.url, app.token, 'counted', topic, 'c1').fetchUntil((records) => records.length >= 3);
    const admin = platform.management.admin();
    const deadline = Date.now() + 15_000;
    let windows: { records: number; bytes: number; consumedRecords?: number; consumedBytes?: number }[] = [];
    const total = (key: 'records' | 'bytes' | 'consumedRecords' | 'consumedBytes') => windows.reduce((sum, window) => sum + (window[key] ?? 0), 0);
    while (total('consumedRecords') < 3 && Date.now() < deadline) {
      const sessions = await admin.clients.list.query({ activeWithinMs: 15_000 });
      const proxySession = sessions.find((session) => session.kind === 'proxy' && session.produces.includes(topic));
      windows = Object.values(proxySession?.applications?.[app.id] ?? {});
      if (total('consumedRecords') < 3) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(total('records')).toBe(3);
    expect(total('bytes')).toBeGreaterThan(0);
    expect(total('consumedRecords')).toBe(3);
    // The three JSON values 1, 2 and 3 as the consumer got them: one byte each.
    expect(total('consumedBytes')).toBe(3);
  }, 60_000);

  it('takes binary values as base64 and answers 202 once buffered with ack=async', async () => {
    const topic = await platform.topic();
    const app = await platform.application([{ verb: 'PUT', resource: `/topics/${topic}` }]);
    const value = Buffer.from([0, 1, 2, 255]).toString('base64');
    const answer = await proxy.post(`/v1/topics/${topic}/records?ack=async`, { valueEncoding: 'base64', records: [{ value }] }, { token: app.token });
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ topic, accepted: 1 });
    const read = await readAll(platform, topic, (v) => v.length >= 1);
    expect(Buffer.from(read[0]!, 'latin1').length).toBeGreaterThan(0);
  }, 60_000);

  it('refuses a request without identity (401), with an unknown token (401), and a revoked token within 2 s', async () => {
    const topic = await platform.topic();
    const app = await platform.application([{ verb: 'PUT', resource: '/topics/**' }]);
    expect((await proxy.post(`/v1/topics/${topic}/records`, records([1]))).status).toBe(401);
    const unknown = await proxy.post(`/v1/topics/${topic}/records`, records([1]), { token: 'flt_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.message).toMatch(/unknown or revoked/);
    expect((await proxy.post(`/v1/topics/${topic}/records`, records([1]), { token: app.token })).status).toBe(200);
    const revokedAt = Date.now();
    await platform.management.admin().tokens.revoke.mutate({ id: app.tokenId });
    let status = 200;
    while (status !== 401 && Date.now() - revokedAt < 5_000) {
      status = (await proxy.post(`/v1/topics/${topic}/records`, records([2]), { token: app.token })).status;
      if (status !== 401) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(2_000);
  }, 60_000);

  it('refuses an application without a policy for the topic with 403 naming the verb and resource', async () => {
    const topic = await platform.topic();
    const app = await platform.application([{ verb: 'PUT', resource: '/topics/other.*' }]);
    const answer = await proxy.post(`/v1/topics/${topic}/records`, records([1]), { token: app.token });
    expect(answer.status).toBe(403);
    expect(answer.body.error.message).toContain(`PUT /topics/${topic}`);
  }, 60_000);

  it('answers bad input with 400 naming the field, 404 for an unknown topic, 413 over the limit, 415 for a wrong content type; nothing is written', async () => {
    const topic = await platform.topic(1);
    const app = await platform.application([{ verb: 'PUT', resource: '/topics/**' }]);
    const post = (body: unknown, options: { raw?: string; contentType?: string } = {}, path = `/v1/topics/${topic}/records`) => proxy.post(path, body, { token: app.token, ...options });
    const badJson = await post(undefined, { raw: '{"records": [' });
    expect([badJson.status, badJson.body.error.field]).toEqual([400, 'body']);
    const wrongType = await post({ records: [{ value: 1, partition: 'x' }] });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.message).toContain('records');
    const badBase64 = await post({ valueEncoding: 'base64', records: [{ value: 'not base64!' }] });
    expect([badBase64.status, badBase64.body.error.field]).toEqual([400, 'records.0.value']);
    expect((await post(records([1]), {}, '/v1/topics/bad%20name/records')).status).toBe(400);
    const unknown = await post(records([1]), {}, '/v1/topics/no-such-topic-here/records');
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'NOT_FOUND']);
    // The proxy answers 413 as soon as the length is known and closes the connection: a client
    // still writing the body may see the close first (EPIPE), so such an attempt is made again.
    let tooLarge: number | undefined;
    for (let attempt = 0; attempt < 5 && tooLarge === undefined; attempt++) {
      tooLarge = await post(undefined, { raw: JSON.stringify(records(['x'.repeat(2 * 1024 * 1024)])) }).then((answer) => answer.status, () => undefined);
    }
    expect(tooLarge).toBe(413);
    expect((await post(undefined, { raw: 'value', contentType: 'text/plain' })).status).toBe(415);
    // One good record after all that: the only one in the topic.
    const noSuchPartition = await post({ records: [{ value: 'first' }, { value: 'second', partition: 7 }] });
    expect([noSuchPartition.status, noSuchPartition.body.error.field]).toEqual([400, 'records.1.partition']);
    expect((await post(records(['good']))).status).toBe(200);
    expect(await readAll(platform, topic, (v) => v.length >= 1, 10_000)).toEqual(['"good"']);
  }, 60_000);

  it('answers 429 with Retry-After over the application\'s quota, and the retry after it succeeds', async () => {
    const topic = await platform.topic(1);
    const app = await platform.application([{ verb: 'PUT', resource: '/topics/**' }]);
    await platform.management.admin().quotas.set.mutate({ application: app.id, requestsPerSecond: 1 });
    // The quota reaches the proxy by push.
    let answer = await proxy.post(`/v1/topics/${topic}/records`, records([1]), { token: app.token });
    const deadline = Date.now() + 5_000;
    while (answer.status !== 429 && Date.now() < deadline) answer = await proxy.post(`/v1/topics/${topic}/records`, records([1]), { token: app.token });
    expect(answer.status).toBe(429);
    const retryAfter = Number(answer.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    expect((await proxy.post(`/v1/topics/${topic}/records`, records([2]), { token: app.token })).status).toBe(200);
  }, 60_000);

  it('loses no answered record when the proxy is killed with kill -9 right after answering', async () => {
    const topic = await platform.topic();
    const app = await platform.application([{ verb: 'PUT', resource: '/topics/**' }]);
    const victim = await platform.startProxy();
    const answered: string[] = [];
    const sending = (async () => {
      for (let i = 0; ; i++) {
        const values = Array.from({ length: 20 }, (_, j) => `r${i}-${j}`);
        const answer = await victim.post(`/v1/topics/${topic}/records`, records(values), { token: app.token }).catch(() => undefined);
        if (!answer) return;
        if (answer.status === 200) answered.push(...values.map((v) => JSON.stringify(v)));
      }
    })();
    while (answered.length < 2_000) await new Promise((resolve) => setTimeout(resolve, 20));
    await victim.kill();
    await sending;
    const read = new Set(await readAll(platform, topic, (v) => answered.every((a) => v.includes(a)), 60_000));
    expect(answered.filter((value) => !read.has(value))).toEqual([]);
  }, 120_000);
});
