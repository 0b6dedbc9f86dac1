// Tenancy at the brokers, end to end: management (with broker sync on) gives an application a Kafka
// credential and turns its policies into ACLs on the test fleet, and Kafka itself enforces them on
// the authenticated listener, for a plain kafkajs client with the application's password. The
// platform's own plaintext listener keeps working throughout.
import { Flotilla } from '@flotilla/client';
import { connectAdmin } from '@flotilla/kafka';
import { startManagementHarness, type ManagementHarness } from '@flotilla/management/testing';
import { testCluster, uniqueName } from '@flotilla/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const fronting = () => testCluster('fronting-1');

/** A kafkajs client on the authenticated listener with SCRAM-SHA-512. */
function applicationKafka(username: string, password: string, retries = 0): Kafka {
  return new Kafka({
    clientId: `tenancy-test-${username}`,
    brokers: fronting().saslBootstrap,
    sasl: { mechanism: 'scram-sha-512', username, password },
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries },
  });
}

/** The platform's own client: the plaintext listener, no credential. */
function platformKafka(): Kafka {
  return new Kafka({ clientId: 'tenancy-test-platform', brokers: fronting().bootstrap, logLevel: logLevel.NOTHING });
}

/** What a send answers: `ok`, or the Kafka error's type (TOPIC_AUTHORIZATION_FAILED) or name. */
async function trySend(producer: Producer, topic: string, value: string): Promise<string> {
  try {
    await producer.send({ topic, acks: -1, messages: [{ value }] });
    return 'ok';
  } catch (error) {
    return kafkaErrorType(error);
  }
}

/** kafkajs wraps the broker's error (in `cause` once it gave up retrying); the first type on the way names it. */
function kafkaErrorType(error: unknown): string {
  for (let e = error as { type?: string; cause?: unknown; originalError?: unknown } | undefined; e; e = (e.cause ?? e.originalError) as typeof e) {
    if (e.type) return e.type;
  }
  return (error as Error).name;
}

async function connectError(kafka: Kafka): Promise<string> {
  const producer = kafka.producer();
  try {
    await producer.connect();
    return 'connected';
  } catch (error) {
    return (error as Error).name;
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

/** Every value in the topic, read by a consumer group created now, over the platform listener. */
async function readAll(topic: string, expected: number): Promise<string[]> {
  const consumer = platformKafka().consumer({ groupId: uniqueName('tenancy-audit') });
  const values: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${values.length} of ${expected} records of ${topic}`)), 20_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          values.push(message.value?.toString() ?? '');
          if (values.length >= expected) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}

describe('tenancy at the brokers', () => {
  let management: ManagementHarness;
  const prefix = uniqueName('payments');
  const payments = `${prefix}.eu`;
  const orders = uniqueName('orders');

  beforeAll(async () => {
    management = await startManagementHarness('pglite', { FLOTILLA_BROKER_SYNC: 'on', FLOTILLA_BROKER_SYNC_INTERVAL_MS: '0' });
    const admin = management.admin();
    await admin.clusters.add.mutate({ name: 'fronting-1', role: 'fronting', tier: 'medium', bootstrap: fronting().bootstrap, saslBootstrap: fronting().saslBootstrap });
    for (const name of [payments, orders]) await admin.topics.create.mutate({ name, tier: 'medium', partitions: 1, cluster: 'fronting-1' });
  }, 60_000);

  /** A new topic under the policies' prefix, so each test audits only its own records. */
  async function paymentsTopic(): Promise<string> {
    const name = `${prefix}.${uniqueName('t')}`;
    await management.admin().topics.create.mutate({ name, tier: 'medium', partitions: 1, cluster: 'fronting-1' });
    return name;
  }

  afterAll(async () => {
    if (!management) return;
    // Leave the shared fleet as other tests expect it: no application users or ACLs of ours.
    const admin = management.admin();
    for (const credential of await admin.kafkaCredentials.list.query()) await admin.kafkaCredentials.revoke.mutate({ application: credential.application }).catch(() => undefined);
    await management.stop();
  }, 60_000);

  async function application(policies: { verb: 'PUT' | 'GET'; resource: string }[]) {
    const admin = management.admin();
    const id = uniqueName('tenant');
    await admin.applications.add.mutate({ id, owner: 'tenancy-tests' });
    for (const policy of policies) await admin.policies.add.mutate({ application: id, verb: policy.verb, resource: policy.resource, effect: 'allow' });
    const credential = await admin.kafkaCredentials.rotate.mutate({ application: id });
    expect(credential.clusters).toEqual([{ cluster: 'fronting-1', installed: true }]);
    return { id, password: credential.password };
  }

  it('lets an application produce where its policy allows and nowhere else; Kafka itself refuses the rest', async () => {
    // Consuming another topic gives it its consumer groups (`<app>.*`), so the refusal below is the topic's.
    const app = await application([
      { verb: 'PUT', resource: `/topics/${prefix}.*` },
      { verb: 'GET', resource: `/topics/${orders}` },
    ]);
    const producer = applicationKafka(app.id, app.password).producer();
    await producer.connect();
    try {
      const allowed = await trySend(producer, payments, 'paid');
      const elsewhere = await trySend(producer, orders, 'not mine');

      expect(allowed).toBe('ok');
      expect(elsewhere).toBe('TOPIC_AUTHORIZATION_FAILED');
    } finally {
      await producer.disconnect();
    }
    // Retries, for a fresh cluster's group coordinator to come up; an authorization error is final.
    const consumer = applicationKafka(app.id, app.password, 5).consumer({ groupId: `${app.id}.reader` });
    const consumeRefusal = await (async () => {
      try {
        await consumer.connect();
        await consumer.subscribe({ topic: payments, fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
          void consumer.run({ eachMessage: async () => resolve() }).catch(reject);
        });
        return 'consumed';
      } catch (error) {
        return kafkaErrorType(error);
      } finally {
        await consumer.disconnect().catch(() => undefined);
      }
    })();
    expect(consumeRefusal).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await readAll(payments, 1)).toEqual(['paid']);
  }, 60_000);

  for (const transport of ['kafkajs', 'rdkafka'] as const) {
    it(`lets the smart client (${transport}) with the application's credential produce where its policy allows, refusing the rest with the broker's reason`, async () => {
      const topic = await paymentsTopic();
      const app = await application([{ verb: 'PUT', resource: `/topics/${prefix}.*` }]);
      const flotilla = new Flotilla({ clientId: app.id, mappingUrl: management.url, transport, sasl: { username: app.id, password: app.password }, mappingCacheFile: false });
      const producer = flotilla.producer();
      await producer.connect();
      try {
        const sent = await producer.send({ topic, messages: [{ value: 'smart' }] });
        const refused = await producer.send({ topic: orders, messages: [{ value: 'not mine' }] }).then(
          () => 'sent',
          (error: Error) => error.message,
        );

        expect(sent).toEqual([expect.objectContaining({ topicName: topic, errorCode: 0 })]);
        expect(refused).toMatch(/TOPIC_AUTHORIZATION_FAILED|not authorized/i);
      } finally {
        await producer.disconnect();
      }
      expect(await readAll(topic, 1)).toEqual(['smart']);
    }, 60_000);
  }

  it('lets the smart consumer and admin with the credential subscribe by pattern, read and see offsets on the authenticated listener', async () => {
    const topic = await paymentsTopic();
    const app = await application([
      { verb: 'PUT', resource: `/topics/${prefix}.*` },
      { verb: 'GET', resource: `/topics/${prefix}.*` },
    ]);
    const flotilla = new Flotilla({ clientId: app.id, mappingUrl: management.url, transport: 'rdkafka', sasl: { username: app.id, password: app.password }, mappingCacheFile: false });
    const producer = flotilla.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'one' }, { value: 'two' }] });
    await producer.disconnect();

    const consumer = flotilla.consumer({ groupId: `${app.id}.pattern` });
    const received: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [new RegExp(`^${topic.replaceAll('.', '\\.')}$`)], fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void received.push(message.value?.toString() ?? '') });
      await expect.poll(() => received.length, { timeout: 20_000 }).toBe(2);
    } finally {
      await consumer.disconnect();
    }
    const admin = flotilla.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      expect(offsets.map((o) => o.high)).toEqual(['2']);
    } finally {
      await admin.disconnect();
    }
    expect(received.sort()).toEqual(['one', 'two']);
  }, 60_000);

  it('refuses a wrong password and a connection without a credential', async () => {
    const app = await application([{ verb: 'PUT', resource: `/topics/${prefix}.*` }]);

    expect(await connectError(applicationKafka(app.id, `${app.password}x`))).toBe('KafkaJSSASLAuthenticationError');
    expect(await connectError(applicationKafka(uniqueName('nobody'), 'whatever'))).toBe('KafkaJSSASLAuthenticationError');
  }, 60_000);

  it('refuses a revoked credential within 2 s, on an open connection and a new one, while others keep working', async () => {
    const topic = await paymentsTopic();
    const revoked = await application([{ verb: 'PUT', resource: `/topics/${prefix}.*` }]);
    const other = await application([{ verb: 'PUT', resource: `/topics/${prefix}.*` }]);
    const open = applicationKafka(revoked.id, revoked.password).producer();
    const otherProducer = applicationKafka(other.id, other.password).producer();
    await Promise.all([open.connect(), otherProducer.connect()]);
    const acknowledged: string[] = [];
    const send = async (producer: Producer, value: string) => {
      const answer = await trySend(producer, topic, value);
      if (answer === 'ok') acknowledged.push(value);
      return answer;
    };
    try {
      expect(await send(open, 'before revoke')).toBe('ok');

      const started = Date.now();
      await management.admin().kafkaCredentials.revoke.mutate({ application: revoked.id });
      let attempt = 0;
      let answer = await send(open, `after revoke ${attempt}`);
      while (answer === 'ok' && Date.now() - started < 5_000) answer = await send(open, `after revoke ${++attempt}`);
      const refusedAfterMs = Date.now() - started;

      expect(answer).toBe('TOPIC_AUTHORIZATION_FAILED');
      expect(refusedAfterMs).toBeLessThan(2_000);
      expect(await connectError(applicationKafka(revoked.id, revoked.password))).toBe('KafkaJSSASLAuthenticationError');
      expect(await send(otherProducer, 'other app')).toBe('ok');
      const platform = platformKafka().producer();
      await platform.connect();
      expect(await send(platform, 'platform')).toBe('ok');
      await platform.disconnect();
    } finally {
      await Promise.all([open.disconnect(), otherProducer.disconnect()]);
    }
    // Every acknowledged record is there, and nothing else.
    expect((await readAll(topic, acknowledged.length)).sort()).toEqual([...acknowledged].sort());
  }, 60_000);

  it('shows drift in a dry run and repairs it: an ACL deleted by hand comes back', async () => {
    const app = await application([{ verb: 'PUT', resource: `/topics/${prefix}.*` }]);
    const admin = platformKafka().admin();
    await admin.connect();
    try {
      await admin.deleteAcls({
        filters: [{ resourceType: 2 /* TOPIC */, resourceName: `${prefix}.`, resourcePatternType: 4 /* PREFIXED */, principal: `User:${app.id}`, host: '*', operation: 4 /* WRITE */, permissionType: 3 /* ALLOW */ }],
      });
    } finally {
      await admin.disconnect();
    }

    const dryRun = await management.admin().brokers.sync.mutate({ dryRun: true });
    const missing = dryRun.clusters[0]?.diff?.createAcls ?? [];
    expect(missing).toEqual([expect.objectContaining({ principal: `User:${app.id}`, operation: 'write', patternType: 'prefixed', name: `${prefix}.` })]);

    const applied = await management.admin().brokers.sync.mutate({ dryRun: false });
    const again = await management.admin().brokers.sync.mutate({ dryRun: true });
    expect(applied.clusters[0]?.diff?.createAcls).toHaveLength(1);
    expect(again.clusters[0]?.diff).toEqual({ createAcls: [], deleteAcls: [], upsertUsers: [], deleteUsers: [], quotas: [] });
    const producer = applicationKafka(app.id, app.password).producer();
    await producer.connect();
    expect(await trySend(producer, payments, 'after repair')).toBe('ok');
    await producer.disconnect();
  }, 60_000);

  it('throttles a producer over its byte rate at the broker: its throughput settles near the quota', async () => {
    const topic = await paymentsTopic();
    const app = await application([{ verb: 'PUT', resource: `/topics/${prefix}.*` }]);
    const quota = 256 * 1024;
    await management.admin().quotas.set.mutate({ application: app.id, bytesPerSecond: quota });
    const kafkaAdmin = await connectAdmin({ bootstrap: fronting().bootstrap });
    try {
      await expect.poll(async () => (await kafkaAdmin.describeUserQuotas()).find((q) => q.user === app.id)?.quotas['producer_byte_rate'], { timeout: 2_000, interval: 50 }).toBe(quota);
    } finally {
      await kafkaAdmin.close();
    }
    const producer = applicationKafka(app.id, app.password).producer();
    await producer.connect();
    const value = Buffer.alloc(16 * 1024, 'q');
    const acknowledged: { at: number; bytes: number }[] = [];
    const started = Date.now();
    try {
      // Four senders of 64 KiB requests: unthrottled, this machine writes tens of MiB/s.
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (Date.now() - started < 14_000) {
            await producer.send({ topic, acks: -1, messages: Array.from({ length: 4 }, () => ({ value })) });
            acknowledged.push({ at: Date.now(), bytes: 4 * value.length });
          }
        }),
      );
    } finally {
      await producer.disconnect();
    }
    // Kafka measures over about 11 s windows: judge the rate once the first window has passed.
    const settledFrom = started + 6_000;
    const settled = acknowledged.filter((a) => a.at >= settledFrom);
    const seconds = (Math.max(...settled.map((a) => a.at)) - settledFrom) / 1000;
    const rate = settled.reduce((sum, a) => sum + a.bytes, 0) / seconds;

    expect(rate).toBeLessThan(quota * 2);
    expect(rate).toBeGreaterThan(quota / 4);
  }, 60_000);

  it('makes an application quota a Kafka client quota, and rotates a password: the old one is refused, the new one works', async () => {
    const app = await application([{ verb: 'PUT', resource: `/topics/${prefix}.*` }]);
    await management.admin().quotas.set.mutate({ application: app.id, bytesPerSecond: 1_048_576 });
    const kafkaAdmin = await connectAdmin({ bootstrap: fronting().bootstrap });
    try {
      // The broker answers from its copy of the metadata log, which follows the controller's within milliseconds.
      await expect.poll(async () => (await kafkaAdmin.describeUserQuotas()).find((q) => q.user === app.id)?.quotas, { timeout: 2_000, interval: 50 }).toEqual({ producer_byte_rate: 1_048_576, consumer_byte_rate: 1_048_576 });
    } finally {
      await kafkaAdmin.close();
    }

    const rotated = await management.admin().kafkaCredentials.rotate.mutate({ application: app.id });

    expect(rotated.password).not.toBe(app.password);
    expect(await connectError(applicationKafka(app.id, app.password))).toBe('KafkaJSSASLAuthenticationError');
    expect(await connectError(applicationKafka(app.id, rotated.password))).toBe('connected');
  }, 60_000);
});
