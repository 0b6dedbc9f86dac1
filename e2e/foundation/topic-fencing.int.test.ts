// Brokers run the StandardAuthorizer open by default, so a DENY ACL fences one topic: the
// mechanism a topic move uses to stop producers that did not switch in time.
import { describe, expect, it } from 'vitest';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Kafka, logLevel, ResourcePatternTypes } from 'kafkajs';
import { testCluster, uniqueName } from '@flotilla/testing';

describe('a DENY WRITE ACL on a real cluster', () => {
  it('fences writes to that topic only, and lifting it lets writes through again', async () => {
    const { bootstrap } = testCluster('fronting-1');
    const kafka = new Kafka({ clientId: 'fence-test', brokers: bootstrap, logLevel: logLevel.NOTHING, retry: { retries: 1, initialRetryTime: 100 } });
    const admin = kafka.admin();
    await admin.connect();
    const fenced = uniqueName('fenced');
    const open = uniqueName('open');
    await admin.createTopics({ topics: [{ topic: fenced }, { topic: open }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: fenced, acks: -1, messages: [{ value: 'before' }] });

    const onTopic = { resourceType: AclResourceTypes.TOPIC, resourceName: fenced, resourcePatternType: ResourcePatternTypes.LITERAL, host: '*' };
    // With any ACL on a topic, "allow when no ACL matches" no longer applies to it: the fence
    // is ALLOW ALL for the platform (PLAINTEXT's User:ANONYMOUS, this client) plus DENY WRITE for
    // everyone (DENY wins), so metadata and consumers keep working.
    const fence = [
      { ...onTopic, principal: 'User:ANONYMOUS', operation: AclOperationTypes.ALL, permissionType: AclPermissionTypes.ALLOW },
      { ...onTopic, principal: 'User:*', operation: AclOperationTypes.WRITE, permissionType: AclPermissionTypes.DENY },
    ];
    await admin.createAcls({ acl: fence });
    // ACLs propagate through the metadata log; poll until the broker enforces it.
    let rejection: unknown;
    for (let i = 0; i < 50 && !rejection; i++) {
      rejection = await producer.send({ topic: fenced, acks: -1, messages: [{ value: 'fenced?' }] }).then(
        () => undefined,
        (error: unknown) => error,
      );
      if (!rejection) await new Promise((r) => setTimeout(r, 200));
    }
    expect(String((rejection as Error | undefined)?.message ?? rejection)).toMatch(/not authorized|authorization/i);
    await expect(producer.send({ topic: open, acks: -1, messages: [{ value: 'still fine' }] })).resolves.toBeDefined();

    // Consumers still drain the fenced topic: a move waits for exactly that.
    const consumer = kafka.consumer({ groupId: uniqueName('fence-g') });
    await consumer.connect();
    await consumer.subscribe({ topic: fenced, fromBeginning: true });
    const first = await new Promise<string>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve(message.value?.toString() ?? '') });
    });
    expect(first).toBe('before');
    await consumer.disconnect();

    await admin.deleteAcls({ filters: fence });
    let accepted = false;
    for (let i = 0; i < 50 && !accepted; i++) {
      accepted = await producer.send({ topic: fenced, acks: -1, messages: [{ value: 'after' }] }).then(
        () => true,
        () => false,
      );
      if (!accepted) await new Promise((r) => setTimeout(r, 200));
    }
    expect(accepted).toBe(true);
    await producer.disconnect();
    await admin.disconnect();
  });
});
