import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '@flotilla/errors';
import { startMappingServer, type MappingServer } from '@flotilla/mapping-server';
import { mappingDocument } from '../mapping-source/test-mapping-documents';
import { Flotilla, FlotillaAdmin, MultiClusterConsumer, MultiClusterProducer, UnknownTopicError } from '../index';

/** The ValidationError `build` throws (a test of what the user reads, so the message matters). */
function refusal(build: () => unknown): ValidationError {
  try {
    build();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

const valid = { clientId: 'billing', mappingUrl: 'http://127.0.0.1:7480' };

describe('Flotilla options', () => {
  it('refuses a misspelt option by name and lists the options there are', () => {
    const error = refusal(() => new Flotilla({ ...valid, transprt: 'rdkafka' } as never));
    expect(error.message).toContain('unknown key "transprt", expected only clientId, mappingUrl, transport,');
  });

  it('answers KafkaJS brokers with what takes their place', () => {
    const error = refusal(() => new Flotilla({ clientId: 'billing', brokers: ['127.0.0.1:9092'] } as never));
    expect(error.field).toBe('brokers');
    expect(error.message).toContain('give mappingUrl');
  });

  it('names the field, the value and what was expected', () => {
    const transport = refusal(() => new Flotilla({ ...valid, transport: 'librdkafka' as never }));
    expect(transport.field).toBe('transport');
    expect(transport.message).toMatch(/transport: .*"kafkajs".*"rdkafka".*got "librdkafka"/);

    const url = refusal(() => new Flotilla({ ...valid, mappingUrl: 'kafka://127.0.0.1:9092' }));
    expect(url.field).toBe('mappingUrl');
    expect(url.message).toContain('got "kafka://127.0.0.1:9092"');

    expect(refusal(() => new Flotilla({ mappingUrl: valid.mappingUrl } as never)).field).toBe('clientId');
    expect(refusal(() => new Flotilla({ ...valid, metrics: {} as never })).message).toContain('expected a prom-client Registry');
  });

  it('refuses KafkaJS producer and consumer options it does not implement, instead of ignoring them', () => {
    const flotilla = new Flotilla(valid);
    expect(refusal(() => flotilla.producer({ idempotent: false })).message).toContain('idempotent exactly when acks is -1 (the default), so give acks: 1');
    expect(refusal(() => flotilla.producer({ acks: 1, idempotent: true })).field).toBe('idempotent');
    expect(refusal(() => flotilla.producer({ maxInFlightRequests: 6 })).message).toContain('at most 5 requests in flight');
    expect(refusal(() => flotilla.producer({ allowAutoTopicCreation: true })).message).toContain('Flotilla never creates topics on send');
    expect(refusal(() => flotilla.producer({ transactionalId: 'tx', acks: 1 })).message).toContain('a transactional producer is idempotent and writes with acks -1');
    expect(refusal(() => flotilla.producer({ transactionalId: '' })).field).toBe('transactionalId');
    expect(flotilla.producer({ transactionalId: 'tx', transactionTimeout: 30_000, idempotent: true, maxInFlightRequests: 1 }).isIdempotent()).toBe(true);
    expect(refusal(() => flotilla.producer({ createPartitioner: () => () => 0 } as never)).message).toContain('"createPartitioner" is not supported: Flotilla chooses partitions itself');
    expect(refusal(() => flotilla.producer({ retry: { retries: 3 } } as never)).field).toBe('retry');
    expect(refusal(() => flotilla.producer({ metadataMaxAge: 1 } as never)).field).toBe('metadataMaxAge');
    expect(flotilla.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false }).isIdempotent()).toBe(true);
    expect(flotilla.producer({ acks: 1, idempotent: false, maxInFlightRequests: 10 }).isIdempotent()).toBe(false);
    expect(refusal(() => flotilla.producer({ buffer: { onFull: 'block' as never } })).field).toBe('buffer.onFull');
    expect(refusal(() => flotilla.producer({ acks: 0 as never })).field).toBe('acks');
    expect(refusal(() => flotilla.consumer({ groupId: 'g', partitionAssigners: [] } as never)).message).toContain('unknown key "partitionAssigners"');
    expect(refusal(() => flotilla.consumer({ groupId: 'g', partitionsConsumedConcurrently: 3 } as never)).message).toContain('"partitionsConsumedConcurrently" is an option of consumer.run()');
    expect(refusal(() => flotilla.consumer({ groupId: 'g', allowAutoTopicCreation: true })).message).toContain('Flotilla never creates topics on subscribe');
    expect(refusal(() => flotilla.consumer({ groupId: 'g', retry: { factor: 0.2 } as never })).message).toContain('unknown key "factor"');
    expect(refusal(() => flotilla.consumer({} as never)).field).toBe('groupId');
    expect(flotilla.consumer({ groupId: 'g', sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 100, allowAutoTopicCreation: false, retry: { retries: 2 } })).toBeInstanceOf(MultiClusterConsumer);
  });

  it('gives KafkaJS-shaped clients without touching the network until connect()', () => {
    const flotilla = new Flotilla({ ...valid, transport: 'rdkafka', mappingCacheFile: false });
    expect(flotilla.producer({ acks: 1, lingerMs: 0, buffer: { maxRecords: 10 } })).toBeInstanceOf(MultiClusterProducer);
    expect(flotilla.consumer({ groupId: 'billing-readers' })).toBeInstanceOf(MultiClusterConsumer);
    expect(flotilla.admin()).toBeInstanceOf(FlotillaAdmin);
  });
});

describe('Flotilla against a mapping server', () => {
  let mapping: MappingServer;
  let management: Server;
  let managementUrl: string;
  let beats: { clientId: string; kind: string; mappingVersion: number | null; groupId?: string; authorization: string | undefined }[];
  let dir: string;
  const closers: (() => Promise<unknown>)[] = [];

  // Management as the front door sees it: the mapping stream and the heartbeat endpoint on one URL.
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flotilla-front-door-'));
    mapping = await startMappingServer();
    mapping.publish(mappingDocument(1));
    beats = [];
    management = createServer((req, res) => {
      if (req.url === '/trpc/clients.heartbeat') {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          beats.push({ ...(JSON.parse(body) as (typeof beats)[number]), authorization: req.headers.authorization });
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"result":{"data":{}}}');
        });
        return;
      }
      const upstream = request(`${mapping.url}${req.url ?? '/'}`, { headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    management.listen(0, '127.0.0.1');
    await once(management, 'listening');
    managementUrl = `http://127.0.0.1:${(management.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
    management.closeAllConnections();
    await new Promise((resolve) => management.close(resolve));
    await mapping.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('admin lists the mapping topics and where one goes, and refuses changes management makes otherwise, or without a token', async () => {
    const admin = new Flotilla({ clientId: 'ops', mappingUrl: managementUrl, mappingCacheFile: join(dir, 'mapping.json') }).admin();
    await admin.connect();
    closers.push(() => admin.disconnect());

    expect(await admin.listTopics()).toEqual(['foo', 't1', 't2']);
    expect(await admin.describeTopics(['t1', 'foo'])).toEqual([
      { topic: 't1', producesTo: ['fronting-kafka-1'], consumesFrom: [], mappingVersion: 1 },
      { topic: 'foo', producesTo: ['fronting-kafka-2'], consumesFrom: ['consumer-kafka-1', 'consumer-kafka-2'], mappingVersion: 1 },
    ]);
    await expect(admin.createTopics({ topics: [{ topic: 'new' }] })).rejects.toThrow(/admin.createTopics needs a token: .*operator role/);
    await expect(admin.deleteTopics({ topics: ['t1'] })).rejects.toThrow(/admin.deleteTopics needs a token/);
    await expect(admin.createPartitions()).rejects.toThrow(/admin.createPartitions is not supported .*npx flotilla topics expand/);
    await expect(admin.setOffsets()).rejects.toBeInstanceOf(ValidationError);
    // The disk cache the live source keeps is where the options said.
    await vi.waitFor(async () => expect(JSON.parse(await readFile(join(dir, 'mapping.json'), 'utf8'))).toMatchObject({ version: 1 }));
  });

  it('an unplaceable topic is the mapping error applications catch', async () => {
    mapping.publish({ ...mappingDocument(2), producers: { t1: { where: [{ sink: 'fronting-kafka-1' }] } }, consumers: {} });
    const admin = new Flotilla({ clientId: 'ops', mappingUrl: managementUrl, mappingCacheFile: false }).admin();
    await admin.connect();
    closers.push(() => admin.disconnect());
    await expect(admin.describeTopics(['nowhere'])).rejects.toBeInstanceOf(UnknownTopicError);
  });

  it('with a token, a producer and a consumer heartbeat under ids of their own while connected', async () => {
    const flotilla = new Flotilla({ clientId: 'billing', mappingUrl: managementUrl, token: 'flt_test', mappingCacheFile: false });
    const producer = flotilla.producer();
    const consumer = flotilla.consumer({ groupId: 'billing-readers' });
    await producer.connect();
    await consumer.connect();
    closers.push(() => producer.disconnect({ timeoutMs: 1_000 }), () => consumer.disconnect());

    await vi.waitFor(() => expect(new Set(beats.map((beat) => beat.kind))).toEqual(new Set(['producer', 'consumer'])));
    const ids = new Set(beats.map((beat) => beat.clientId));
    expect(ids.size).toBe(2);
    for (const id of ids) expect(id).toMatch(/^billing\/(producer|consumer)-\d+@/);
    expect(beats.find((beat) => beat.kind === 'consumer')).toMatchObject({ groupId: 'billing-readers', mappingVersion: 1, authorization: 'Bearer flt_test' });

    await producer.disconnect({ timeoutMs: 1_000 });
    await consumer.disconnect();
    const after = beats.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(beats.length).toBe(after);
  });

  it('without a token, nothing is sent to management', async () => {
    const producer = new Flotilla({ clientId: 'billing', mappingUrl: managementUrl, mappingCacheFile: false }).producer();
    await producer.connect();
    await producer.disconnect({ timeoutMs: 1_000 });
    expect(beats).toEqual([]);
  });
});
