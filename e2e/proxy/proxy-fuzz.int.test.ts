// 10,000 malformed requests (bodies, content types, tokens, topic names, query strings) at a
// running proxy: never a 5xx, the process stays up, and Kafka holds exactly the records of the
// requests it answered 2xx (whatever a generator happened to make valid), nothing else.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll, startProxyPlatform, type ProxyPlatform, type ProxyProcess } from './proxy-platform';

let platform: ProxyPlatform;
let proxy: ProxyProcess;

beforeAll(async () => {
  platform = await startProxyPlatform();
  proxy = await platform.startProxy({ PROXY_BODY_LIMIT: String(64 * 1024) });
}, 120_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

const recordish = fc.oneof(
  fc.record({ value: fc.jsonValue() }, { requiredKeys: [] }),
  fc.record({ key: fc.oneof(fc.string(), fc.integer(), fc.constant(null)), value: fc.jsonValue(), partition: fc.oneof(fc.integer({ min: -3, max: 5 }), fc.string()), headers: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.jsonValue()) }, { requiredKeys: [] }),
  fc.jsonValue(),
);
const bodyText = fc.oneof(
  fc.string(),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.record({ valueEncoding: fc.oneof(fc.constantFrom('json', 'text', 'base64', 'hex'), fc.jsonValue()), records: fc.oneof(fc.array(recordish, { maxLength: 5 }), fc.jsonValue()) }, { requiredKeys: [] }).map((body) => JSON.stringify(body)),
  fc.string().map((text) => `{"records": [${text}`),
);

describe('HTTP proxy: malformed input', () => {
  it('answers 10,000 malformed requests without a 5xx; Kafka holds exactly the records it answered 2xx for', async () => {
    const topic = await platform.topic(1);
    const app = await platform.application([{ verb: 'PUT', resource: '/topics/**' }]);
    let written = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        bodyText,
        fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream'),
        fc.oneof(fc.constant(app.token), fc.constant(app.token), fc.string(), fc.constant(`${app.token}x`)),
        fc.oneof(fc.constant(topic), fc.constant(topic), fc.string({ maxLength: 300 }).map(encodeURIComponent)),
        fc.constantFrom('', '?ack=sync', '?ack=async', '?ack=maybe', '?x=1'),
        async (body, contentType, token, target, query) => {
          const path = target || topic;
          const answer = await proxy.post(`/v1/topics/${path}/records${query}`, undefined, { raw: body, contentType, token });
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          expect(answer.status, `${answer.status} for ${contentType} ${body.slice(0, 200)}`).toBeLessThan(500);
          if (answer.status < 300 && path === topic) written += answer.status === 202 ? answer.body.accepted : answer.body.results.length;
          if (answer.status >= 400) expect(answer.body.error.message.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 10_000 },
    );
    // Still up.
    expect((await fetch(`${proxy.url}/healthz`)).status).toBe(200);
    const read = await readAll(platform, topic, (values) => values.length >= written, 30_000);
    expect(read.length).toBe(written);
    expect([...statuses.keys()].every((status) => status < 500)).toBe(true);
  }, 600_000);
});
