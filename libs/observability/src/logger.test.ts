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

  it('writes one readable line per entry when asked to be pretty (as on a terminal), still redacted', async () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const logger = createLogger({ service: 'worker', destination: stream, pretty: true });
    logger.child({ component: 'activities' }).info({ token: 's3cret', version: 7 }, 'publishPlacement done');
    await new Promise((resolve) => setImmediate(resolve));
    expect(text).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: worker\/activities: publishPlacement done \{.*\}\n$/);
    expect(text).toContain('"version":7');
    expect(text).toContain('"token":"[redacted]"');
    expect(text).not.toContain('s3cret');
    expect(() => JSON.parse(text) as unknown).toThrow();
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
