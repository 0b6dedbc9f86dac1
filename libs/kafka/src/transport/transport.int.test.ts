// The transport contract against the real test fleet, once per client library, plus what only
// one library needs to be told.
import { describe, expect, it } from 'vitest';
import { testCluster, uniqueName } from '@flotilla/testing';
import { kafkajsTransport } from './kafkajs-transport';
import { rdkafkaTransport } from './rdkafka-transport';
import { transportContract } from './transport.contract';

const platform = { bootstrap: () => testCluster('fronting-1').bootstrap, uniqueName };

transportContract(kafkajsTransport, platform);
transportContract(rdkafkaTransport, platform);

describe('the rdkafka transport', () => {
  it('refuses a header value that node-rdkafka would alter, naming the header', async () => {
    const producer = rdkafkaTransport.producer({ bootstrap: platform.bootstrap(), clientId: 'binary-header', acks: -1, lingerMs: 0, deliveryTimeoutMs: 5_000 });
    try {
      const sending = producer.send(uniqueName('binary-header'), [{ partition: 0, key: null, value: null, headers: { bin: Buffer.from([0, 255]) } }]);
      await expect(sending).rejects.toMatchObject({ code: 'VALIDATION', retryable: false, field: 'headers.bin' });
    } finally {
      await producer.disconnect();
    }
  });
});
