// Per-record cost of applying a route, without Kafka: the plain copy route (which the router is
// measured on against MirrorMaker 2), a header-only route, and filter + projection on 100 B and
// 1 KB JSON values, with a filter the native path answers and with one only JSONata can (a
// function call). Run: npx vitest bench --run --project unit libs/routes
import { bench, describe } from 'vitest';
import { routeOf } from './test-support/route-fixtures';
import type { RouteRecord } from './route-record';

function record(bytes: number): RouteRecord {
  const base = { id: 'o-123456', amount: 250, region: 'eu', customer: { id: 'c-9', tier: 'gold' } };
  const padding = Math.max(0, bytes - JSON.stringify({ ...base, pad: '' }).length);
  return { key: Buffer.from('c-9'), value: Buffer.from(JSON.stringify({ ...base, pad: 'x'.repeat(padding) })), headers: { trace: 't-1' }, timestamp: '1700000000000' };
}

const copy = routeOf([]);
const headers = routeOf([{ headers: { set: { origin: 'router' }, drop: ['trace'] } }]);
const projection = { project: { keep: ['id', 'amount', 'customer.id'] } };
const filterProject = routeOf([{ filter: 'value.amount > 100 and value.region = "eu"' }, projection]);
const jsonataFilterProject = routeOf([{ filter: '$exists(value.amount) and value.region = "eu"' }, projection]);

for (const size of [100, 1_024]) {
  const input = record(size);
  describe(`${size} B value`, () => {
    bench('plain copy route', () => {
      copy.apply(input);
    });
    bench('headers set + drop', () => {
      headers.apply(input);
    });
    bench('filter + projection', async () => {
      await filterProject.apply(input);
    });
    bench('JSONata filter + projection', async () => {
      await jsonataFilterProject.apply(input);
    });
  });
}
