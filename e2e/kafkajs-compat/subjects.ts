// The clients the compatibility suite runs every scenario on: plain kafkajs, the reference, and
// the smart client through its front door over each transport. A subject hands out producers and
// consumers the way `new Kafka({...})` does; the smart ones follow a live mapping that places
// every topic on one test cluster, so a scenario's outcome can be compared record for record.
import { Flotilla } from '@flotilla/client';
import { startMappingServer, type MappingServer } from '@flotilla/mapping-server';
import { testCluster } from '@flotilla/testing';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';

/**
 * What a scenario may call: the KafkaJS shapes. The smart client's classes are structurally
 * checked against them by the scenarios themselves (they call the same methods).
 */
export interface KafkaLike {
  producer(options?: Record<string, unknown>): Producer;
  consumer(options: { groupId: string } & Record<string, unknown>): Consumer;
}

export interface Subject {
  readonly name: 'kafkajs' | 'flotilla over kafkajs' | 'flotilla over node-rdkafka';
  readonly kafka: KafkaLike;
}

const CLUSTER = 'fronting-1';
/** A cluster the smart subjects' mapping places one topic on, for scenarios that need a second cluster. */
export const SECOND_CLUSTER = 'fronting-2';
/** That one topic: the mapping places it on SECOND_CLUSTER, every other topic on the first. */
export const ON_SECOND_CLUSTER = 'compat-on-fronting-2';

export interface Subjects {
  readonly all: readonly Subject[];
  stop(): Promise<void>;
}

export async function startSubjects(): Promise<Subjects> {
  const { bootstrap } = testCluster(CLUSTER);
  const server: MappingServer = await startMappingServer({ port: 0 });
  server.publish({
    version: 1,
    clusters: { [CLUSTER]: { bootstrap, role: 'fronting', tier: 'medium' }, [SECOND_CLUSTER]: { bootstrap: testCluster(SECOND_CLUSTER).bootstrap, role: 'fronting', tier: 'medium' } },
    producers: { __default__: { where: [{ sink: CLUSTER }] }, [ON_SECOND_CLUSTER]: { where: [{ sink: SECOND_CLUSTER }] } },
    consumers: { __default__: [{ vip: CLUSTER }], [ON_SECOND_CLUSTER]: [{ vip: SECOND_CLUSTER }] },
  });
  const flotilla = (transport: 'kafkajs' | 'rdkafka'): KafkaLike =>
    // The scenarios are KafkaJS code: they call what KafkaJS's types declare. Where the smart
    // client differs, the scenario fails and says so; the cast does not hide a missing method.
    new Flotilla({ clientId: `compat-${transport}`, mappingUrl: server.url, transport, mappingCacheFile: false }) as unknown as KafkaLike;
  return {
    all: [
      { name: 'kafkajs', kafka: new Kafka({ clientId: 'compat-reference', brokers: [...bootstrap], logLevel: logLevel.NOTHING }) },
      { name: 'flotilla over kafkajs', kafka: flotilla('kafkajs') },
      { name: 'flotilla over node-rdkafka', kafka: flotilla('rdkafka') },
    ],
    stop: () => server.stop(),
  };
}
