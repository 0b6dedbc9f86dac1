// A ProducerTransport for the producer parts' unit tests: records what it was handed, and lets
// the test decide when connect() and each send() settle.
import type { ProducerTransport, TransportRecord } from '@flotilla/kafka';

export interface HandedOver {
  topic: string;
  records: readonly TransportRecord[];
  resolve(offsets: number[]): void;
  reject(error: Error): void;
}

export class FakeProducerTransport implements ProducerTransport {
  readonly kind = 'kafkajs' as const;
  readonly sends: HandedOver[] = [];
  connectAttempts = 0;
  /** connect() fails this many times before it succeeds. */
  failConnects = 0;
  disconnected = false;
  partitions = 4;

  async connect(): Promise<void> {
    this.connectAttempts += 1;
    if (this.failConnects-- > 0) throw new Error('unreachable');
  }

  send(topic: string, records: readonly TransportRecord[]): Promise<number[]> {
    return new Promise((resolve, reject) => this.sends.push({ topic, records, resolve, reject }));
  }

  async partitionCount(): Promise<number> {
    return this.partitions;
  }

  async disconnect(): Promise<void> {
    this.disconnected = true;
  }
}
