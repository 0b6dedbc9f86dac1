// The 3-broker cluster (replication factor 3, min.insync.replicas 2): losing one broker to
// kill -9 keeps the cluster writable and loses no acknowledged record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { startCluster, TRIPLE_CLUSTER, type KafkaCluster } from '@flotilla/local-kafka';
import { killProcess, waitFor } from '@flotilla/local-runtime';
import { connectAdmin, scramSecret, transportFor, type AclBinding } from '@flotilla/kafka';
import { missingAfterReadBack, testPlatform, uniqueName } from '@flotilla/testing';
import { join } from 'node:path';

describe('a real 3-broker KRaft cluster', () => {
  let cluster: KafkaCluster;

  beforeAll(async () => {
    // Started here, not in the global setup: only this file needs three more JVMs.
    cluster = await startCluster({ name: 'triple-1', brokers: 3, basePort: TRIPLE_CLUSTER.basePort + testPlatform().portOffset, runDir: testPlatform().runDir, heapMb: 384 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it("every broker learns an application's credential and ACL, and serves it on its CLIENT listener", async () => {
    const admin = await connectAdmin({ bootstrap: cluster.bootstrap });
    const user = uniqueName('tenant');
    const password = uniqueName('secret');
    const acl: AclBinding = { resourceType: 'topic', patternType: 'prefixed', name: `${user}.`, principal: `User:${user}`, host: '*', operation: 'describe', permission: 'allow' };
    try {
      await admin.upsertScramCredentials([{ user, ...scramSecret(password) }]);
      await admin.createAcls([acl]);
      // Each broker applies the metadata log at its own pace: these ask every one of them.
      await admin.waitForScramCredential(user, true, 5_000);
      await admin.waitForAcls([acl], true, 5_000);
      for (const broker of cluster.saslBootstrap) {
        const single = new Kafka({ clientId: 'triple-tenant', brokers: [broker], logLevel: logLevel.NOTHING, sasl: { mechanism: 'scram-sha-512', username: user, password } }).admin();
        await single.connect();
        const { brokers } = await single.describeCluster();
        await single.disconnect();
        // Metadata through CLIENT advertises CLIENT: the client never falls back to PLAINTEXT.
        expect(brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual([...cluster.saslBootstrap].sort());
      }
    } finally {
      await admin.deleteAcls([acl]);
      await admin.deleteScramCredentials([user]);
      await admin.close();
    }
  });

  it('replicates to three brokers and survives kill -9 of one', async () => {
    const topic = uniqueName('rf3');
    const flotillaAdmin = await connectAdmin({ bootstrap: cluster.bootstrap });
    await flotillaAdmin.ensureTopic({ topic, partitions: 3, replicationFactor: 3 });
    await flotillaAdmin.close();
    // The topic reaches each broker's metadata cache shortly after the controller has it;
    // ask every broker, so the producer below never meets one that has not heard of it yet.
    for (const broker of cluster.bootstrap) {
      const single = new Kafka({ clientId: 'triple-probe', brokers: [broker], logLevel: logLevel.NOTHING }).admin();
      await single.connect();
      const replicas = await waitFor(
        async () => {
          const metadata = await single.fetchTopicMetadata({ topics: [topic] });
          const partitions = metadata.topics[0]?.partitions ?? [];
          return partitions.length === 3 && partitions.every((p) => p.leader >= 0) ? partitions.map((p) => p.replicas.length) : undefined;
        },
        { timeoutMs: 20_000, what: `metadata of ${topic} on ${broker}` },
      );
      await single.disconnect();
      expect(replicas).toEqual([3, 3, 3]);
    }

    // Through our kafkajs transport, not kafkajs's producer alone: kafkajs's send() can resolve
    // while the records of a partition whose leader was just killed were never written (its
    // answer leaves that partition out; caught here once: 167 of 500 records missing on read-back).
    // The transport checks every record got an offset and sends the others again.
    const producer = transportFor('kafkajs').producer({ bootstrap: cluster.bootstrap, clientId: 'triple-test', acks: -1, deliveryTimeoutMs: 60_000 });
    await producer.connect();
    const acknowledged: string[] = [];
    const sendBatch = async (tag: string): Promise<void> => {
      const values = Array.from({ length: 500 }, (_, i) => `${tag}:${i}`);
      const offsets = await producer.send(
        topic,
        values.map((value, i) => ({ partition: i % 3, key: null, value: Buffer.from(value) })),
      );
      expect(offsets.every((offset) => BigInt(offset) >= 0n)).toBe(true);
      acknowledged.push(...values);
    };
    await sendBatch('before');
    await killProcess(join(cluster.dir, 'broker-2', 'pid'));
    await sendBatch('after');
    await producer.disconnect();

    // Writable with a broker down: the second batch was acknowledged (acks=all) by the two
    // replicas left, on every partition. Counted once the broker is back.
    await cluster.restart();
    const offsets = await connectAdmin({ bootstrap: cluster.bootstrap });
    let total = 0n;
    await waitFor(
      async () => {
        total = [...(await offsets.endOffsets(topic)).values()].reduce((sum, high) => sum + high, 0n);
        return total >= 1000n ? true : undefined;
      },
      { timeoutMs: 60_000, what: `end offsets of ${topic} to reach 1000` },
    )
      .catch(() => undefined)
      .finally(() => offsets.close());
    // At least the acknowledged records. At least, not exactly: when kafkajs's answer leaves out a
    // partition whose records were in fact written, the transport sends them again (at-least-once;
    // seen here once: 1,166).
    expect(total).toBeGreaterThanOrEqual(1000n);
    // Read back: a kafkajs consumer can stall on a partition whose leader died (its fetch session
    // to the dead broker), so this too waits for the broker to be back.
    const missing = await missingAfterReadBack(cluster.bootstrap, topic, acknowledged);
    expect(missing).toEqual([]);
    expect(acknowledged).toHaveLength(1000);
  });
});
