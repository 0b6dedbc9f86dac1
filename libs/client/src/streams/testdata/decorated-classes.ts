// Classes decorated with @Stream, for stream.test.ts. The test loads this file through tsx,
// the runtime our apps use, because vitest's Oxc transform does not lower standard decorators
// and Node 20 cannot parse them. The stream functions are re-exported from here so the test
// calls the very module instance these classes registered with.
import { Stream } from '../stream';

export { streamOf, streamTopic } from '../stream';

@Stream('orders', { key: 'orderId' })
export class OrderPlaced {
  constructor(
    readonly orderId: string,
    readonly total: number,
  ) {}
}

@Stream('payments', { key: (p) => p.account, headers: (p) => ({ currency: p.currency }) })
export class PaymentReceived {
  constructor(
    readonly account: number,
    readonly amount: number,
    readonly currency: string,
  ) {}
}

@Stream('clicks')
export class Click {
  constructor(readonly page: string) {}
}

@Stream('raw', { serializer: (r) => Buffer.from([r.byte]) })
export class RawByte {
  constructor(readonly byte: number) {}
}

export class BigOrder extends OrderPlaced {}

@Stream('refunds', { key: 'orderId' })
export class Refund extends OrderPlaced {}

@Stream('bad-keys', { key: 'owner' })
export class Owned {
  constructor(readonly owner: { name: string }) {}
}

@Stream('counters')
export class Counter {
  constructor(readonly count: bigint) {}
}

export class Invoice {
  constructor(readonly id: string) {}
}

/** Decorating runs when a class is defined: these define one on demand so the error is catchable. */
export function defineWithInvalidTopic(): unknown {
  @Stream('not a topic')
  class Spaced {}
  return Spaced;
}

export function defineDecoratedTwice(): unknown {
  @Stream('a')
  @Stream('b')
  class Twice {}
  return Twice;
}
