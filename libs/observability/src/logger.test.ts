import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';
import { Counter, createMetricsRegistry } from './metrics';

describe('createLogger', () => {
  it('writes JSON lines with the service and redacts tokens', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().trim().split('\n')));
    const logger = createLogger({ service: 'test-svc', destination: stream });
    logger.child({ component: 'auth' }).info({ token: 's3cret', app: 'billing' }, 'issued');
    await new Promise((resolve) => setImmediate(resolve));
    const entry = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(entry).toMatchObject({ service: 'test-svc', component: 'auth', app: 'billing', token: '[redacted]', msg: 'issued' });
  });
});

describe('createMetricsRegistry', () => {
  it('exposes counters in Prometheus text format with the service label', async () => {
    const registry = createMetricsRegistry('svc', { defaultMetrics: false });
    const counter = new Counter({ name: 'flotilla_test_total', help: 'test', registers: [registry] });
    counter.inc(3);
    expect(await registry.metrics()).toContain('flotilla_test_total{service="svc"} 3');
  });
});
