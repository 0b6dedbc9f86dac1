// The transport contract against the real test fleet, once per client library, plus what only
// one library needs to be told.
import { describe, expect, it } from 'vitest';
import { testCluster, uniqueName } from '@flotilla/testing';
import { connectAdmin } from '../kafka-admin';
import { CompressionTypes } from './compression';
import { kafkajsTransport } from './kafkajs-transport';
import { rdkafkaTransport } from './rdkafka-transport';
import { transactionalProducerContract } from './transactional-producer.contract';
import { transportContract } from './transport.contract';

const platform = { bootstrap: () => testCluster('fronting-1').bootstrap, uniqueName };

transportContract(kafkajsTransport, platform);
transportContract(rdkafkaTransport, platform);
transactionalProducerContract(kafkajsTransport, platform);
transactionalProducerContract(rdkafkaTransport, platform);

describe('the rdkafka transport', () => {
  it('refuses a header value that node-rdkafka would alter, naming the header', async () => {
    const producer = rdkafkaTransport.producer({ bootstrap: platform.bootstrap(), clientId: 'binary-header', acks: -1, deliveryTimeoutMs: 5_000 });
    try {
      const sending = producer.send(uniqueName('binary-header'), [{ partition: 0, key: null, value: null, headers: { bin: Buffer.from([0, 255]) } }]);
      await expect(sending).rejects.toMatchObject({ code: 'VALIDATION', retryable: false, field: 'headers.bin' });
    } finally {
      await producer.disconnect();
    }
  });

  it('keeps call order on a partition across calls with different compression (a client per codec)', async () => {
    const topic = uniqueName('codecs');
    const admin = await connectAdmin({ bootstrap: platform.bootstrap() });
    try {
      await admin.ensureTopic({ topic, partitions: 1, replicationFactor: 1 });
    } finally {
      await admin.close();
    }
    const producer = rdkafkaTransport.producer({ bootstrap: platform.bootstrap(), clientId: 'codecs', acks: -1, deliveryTimeoutMs: 10_000 });
    try {
      const codecs = [CompressionTypes.None, CompressionTypes.GZIP, CompressionTypes.GZIP, CompressionTypes.None, CompressionTypes.LZ4, CompressionTypes.Snappy, CompressionTypes.None];
      const calls = codecs.map((compression, i) => producer.send(topic, [0, 1, 2].map((r) => ({ partition: 0, key: null, value: Buffer.from(`c${i}-r${r}-${'x'.repeat(200)}`) })), { compression }));
      const offsets = (await Promise.all(calls)).flat();
      expect(offsets).toEqual(offsets.map((_, i) => i));
    } finally {
      await producer.disconnect();
    }
  });
});
