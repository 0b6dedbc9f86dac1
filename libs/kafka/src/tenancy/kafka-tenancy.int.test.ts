// Tenancy at a real broker: an application authenticated with SCRAM-SHA-512 on the CLIENT
// listener may do what its ACLs grant and nothing else, once the platform's wildcard ACLs make
// every resource "have an ACL". The platform's ACLs, the application's ACLs and credential are
// removed afterwards: the test fleet is shared.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import RdKafka from 'node-rdkafka';
import { missingAfterReadBack, testCluster, uniqueName } from '@flotilla/testing';
import { connectAdmin, type KafkaAdmin } from '../kafka-admin';
import { kafkaErrorType } from '../kafka-errors';
import { PLATFORM_PRINCIPAL, type AclBinding } from './acl-binding';
import { scramSecret } from './scram-secret';

const cluster = testCluster('fronting-1');
const app = uniqueName('tenant');
const password = uniqueName('secret');
const prefix = `${uniqueName('payments')}.`;
const paymentsEu = `${prefix}eu`;
const orders = uniqueName('orders');

type Allow = [AclBinding['resourceType'], AclBinding['patternType'], string, string, AclBinding['operation']];
const allow = (...[resourceType, patternType, name, principal, operation]: Allow): AclBinding => ({ resourceType, patternType, name, principal, host: '*', operation, permission: 'allow' });

const platformAcls: AclBinding[] = [
  allow('topic', 'literal', '*', PLATFORM_PRINCIPAL, 'all'),
  allow('group', 'literal', '*', PLATFORM_PRINCIPAL, 'all'),
  allow('transactional_id', 'literal', '*', PLATFORM_PRINCIPAL, 'all'),
  allow('cluster', 'literal', 'kafka-cluster', PLATFORM_PRINCIPAL, 'all'),
];
// What `allow <app> PUT /topics/payments.*` becomes, plus the application's own group prefix so
// that a consumer gets as far as the topic (without it Kafka refuses the group first).
const appAcls: AclBinding[] = [
  allow('topic', 'prefixed', prefix, `User:${app}`, 'write'),
  allow('topic', 'prefixed', prefix, `User:${app}`, 'describe'),
  allow('group', 'prefixed', `${app}.`, `User:${app}`, 'read'),
];

/** A kafkajs client of the application on the SASL listener; `password: null` does not authenticate. */
function client(options: { password?: string | null } = {}): Kafka {
  const secret = options.password === undefined ? password : options.password;
  const config: KafkaConfig = { clientId: 'tenancy-test', brokers: [...cluster.saslBootstrap], logLevel: logLevel.NOTHING, connectionTimeout: 3_000, requestTimeout: 5_000, retry: { retries: 0 } };
  return new Kafka(secret === null ? config : { ...config, sasl: { mechanism: 'scram-sha-512', username: app, password: secret } });
}

async function produce(kafka: Kafka, topic: string, values: string[]): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: values.map((value) => ({ value })) });
  } finally {
    await producer.disconnect();
  }
}

/** The Kafka error that refuses the promise's work, or "no error". */
async function refusal(work: Promise<unknown>): Promise<string> {
  return work.then(
    () => 'no error',
    (error: unknown) => kafkaErrorType(error) ?? (error as Error).name,
  );
}

/** The error that crashes a consumer of `topic` in the application's group. */
async function consumeRefusal(topic: string): Promise<string> {
  const consumer = client().consumer({ groupId: `${app}.readers`, retry: { retries: 0 } });
  try {
    await consumer.connect();
    const crashed = new Promise<unknown>((resolve) => consumer.on(consumer.events.CRASH, ({ payload }) => resolve(payload.error)));
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async () => undefined });
    const error = await Promise.race([crashed, new Promise((resolve) => setTimeout(() => resolve(undefined), 30_000))]);
    return error === undefined ? 'no error in 30 s' : (kafkaErrorType(error) ?? String(error));
  } finally {
    await consumer.disconnect();
  }
}

let admin: KafkaAdmin;

beforeAll(async () => {
  admin = await connectAdmin({ bootstrap: cluster.bootstrap });
  await admin.createAcls(platformAcls);
  for (const topic of [paymentsEu, orders]) await admin.ensureTopic({ topic, partitions: 1, replicationFactor: 1 });
  await admin.upsertScramCredentials([{ user: app, ...scramSecret(password, 8192) }]);
  await admin.createAcls(appAcls);
  await admin.waitForScramCredential(app, true, 2_000);
  await admin.waitForAcls([...platformAcls, ...appAcls], true, 2_000);
});

afterAll(async () => {
  if (!admin) return;
  await admin.deleteAcls([...appAcls, ...platformAcls]);
  await admin.deleteScramCredentials([app]);
  await admin.alterUserQuotas([{ user: app, set: {}, remove: ['producer_byte_rate', 'consumer_byte_rate', 'request_percentage'] }]);
  for (const topic of [paymentsEu, orders]) await admin.deleteTopic(topic);
  await admin.close();
});

describe('an application on the SASL listener (kafkajs)', () => {
  it('produces where its prefixed ACL allows, and the platform reads it back over PLAINTEXT', async () => {
    const values = ['p1', 'p2', 'p3'];
    await produce(client(), paymentsEu, values);
    expect(await missingAfterReadBack(cluster.bootstrap, paymentsEu, values, 30_000)).toEqual([]);
  });

  it('is refused by Kafka on another topic, and when it consumes the topic it may only produce to', async () => {
    expect(await refusal(produce(client(), orders, ['o1']))).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await consumeRefusal(paymentsEu)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('cannot connect with a wrong password, nor without authenticating', async () => {
    expect(await refusal(client({ password: 'wrong' }).admin().connect())).toBe('KafkaJSSASLAuthenticationError');
    const anonymous = client({ password: null }).admin();
    try {
      expect(await refusal(anonymous.connect().then(() => anonymous.listTopics()))).not.toBe('no error');
    } finally {
      await anonymous.disconnect();
    }
  });

  it("gains nothing from a move's fence: DENY WRITE for all, ALLOW ALL only for the platform", async () => {
    await admin.fenceWrites(orders);
    try {
      expect(await refusal(produce(client(), orders, ['o2']))).toBe('TOPIC_AUTHORIZATION_FAILED');
      const platform = new Kafka({ clientId: 'tenancy-test', brokers: [...cluster.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
      expect(await refusal(produce(platform, orders, ['o3']))).toBe('TOPIC_AUTHORIZATION_FAILED');
      const platformAdmin = platform.admin();
      await platformAdmin.connect();
      try {
        expect(await refusal(platformAdmin.fetchTopicOffsets(orders))).toBe('no error');
      } finally {
        await platformAdmin.disconnect();
      }
    } finally {
      await admin.unfenceWrites(orders);
    }
  });
});

describe("a move's fence", () => {
  it('set by an older Flotilla (ALLOW ALL for User:*) is removed whole when lifted', async () => {
    const onOrders = (principal: string, operation: AclBinding['operation'], permission: AclBinding['permission']): AclBinding => ({ ...allow('topic', 'literal', orders, principal, operation), permission });
    await admin.createAcls([onOrders('User:*', 'all', 'allow'), onOrders('User:*', 'write', 'deny')]);
    await admin.unfenceWrites(orders);
    await vi.waitFor(async () => expect((await admin.listAcls()).filter((b) => b.name === orders)).toEqual([]), { timeout: 2_000 });
  });
});

describe('an application on the SASL listener (node-rdkafka)', () => {
  function rdkafkaProduce(topic: string): Promise<string> {
    return new Promise((resolve) => {
      const producer = new RdKafka.Producer(
        {
          'bootstrap.servers': cluster.saslBootstrap.join(','),
          'security.protocol': 'sasl_plaintext',
          'sasl.mechanisms': 'SCRAM-SHA-512',
          'sasl.username': app,
          'sasl.password': password,
          dr_cb: true,
        },
        { 'message.timeout.ms': 10_000 },
      );
      producer.on('delivery-report', (error) => producer.disconnect(() => resolve(error ? String(error.message) : 'delivered')));
      producer.on('event.error', (error) => producer.disconnect(() => resolve(`error: ${error.message}`)));
      producer.setPollInterval(10);
      producer.connect({}, (error) => {
        if (error) return resolve(`connect: ${error.message}`);
        producer.produce(topic, null, Buffer.from('r1'));
      });
    });
  }

  it('produces where its ACL allows and is refused elsewhere', async () => {
    expect(await rdkafkaProduce(paymentsEu)).toBe('delivered');
    expect(await rdkafkaProduce(orders)).toMatch(/authoriz/i);
  });
});

describe('credentials and quotas through the admin', () => {
  it('describes SCRAM-SHA-512 credentials: the application with its iterations, an unknown user not at all', async () => {
    expect(await admin.describeScramCredentials([app, uniqueName('nobody')])).toEqual([{ user: app, iterations: 8192 }]);
    expect(await admin.describeScramCredentials()).toContainEqual({ user: app, iterations: 8192 });
    await admin.deleteScramCredentials([uniqueName('nobody')]);
  });

  it('sets, describes and removes user quotas', async () => {
    // Alter returns once the controller has it; describe answers from the broker's metadata
    // image, which may lag it by a moment even on a one-node cluster.
    const described = (quotas: Record<string, number> | undefined) =>
      vi.waitFor(async () => expect((await admin.describeUserQuotas()).find((q) => q.user === app)?.quotas).toEqual(quotas), { timeout: 2_000 });
    await admin.alterUserQuotas([{ user: app, set: { producer_byte_rate: 1_048_576, request_percentage: 50 }, remove: [] }]);
    await described({ producer_byte_rate: 1_048_576, request_percentage: 50 });
    await admin.alterUserQuotas([{ user: app, set: {}, remove: ['request_percentage'] }]);
    await described({ producer_byte_rate: 1_048_576 });
    await admin.alterUserQuotas([{ user: app, set: {}, remove: ['producer_byte_rate'] }]);
    await described(undefined);
  });

  it('refuses a quota key Kafka does not have, naming it', async () => {
    await expect(admin.alterUserQuotas([{ user: app, set: { bytes: 1 }, remove: [] }])).rejects.toThrow(/entries\[0\]\.set\.bytes: "bytes" is not a user quota key/);
  });

  it('lists the ACLs it created, exactly', async () => {
    const listed = await admin.listAcls();
    for (const binding of [...platformAcls, ...appAcls]) expect(listed).toContainEqual(binding);
  });

  it('after the credential is deleted, a new connection is refused within 2 s', async () => {
    await admin.deleteScramCredentials([app]);
    await admin.waitForScramCredential(app, false, 2_000);
    expect(await refusal(client().admin().connect())).toBe('KafkaJSSASLAuthenticationError');
    expect(await admin.describeScramCredentials([app])).toEqual([]);
  });
});
