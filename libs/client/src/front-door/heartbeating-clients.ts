// The producer and consumer `Flotilla` hands out: given a token, each reports to management
// (clients.heartbeat) from connect() to disconnect(), so a topic move sees who switched and a
// disconnected client stops counting as live. Without a token they are the plain clients.
import { MultiClusterConsumer, type MultiClusterConsumerOptions } from '../consumer/multi-cluster-consumer';
import { MultiClusterProducer, type MultiClusterProducerOptions } from '../producer/multi-cluster-producer';
import { startHeartbeats, type HeartbeatReporter, type HeartbeatReporterOptions, type HeartbeatSnapshot } from '../telemetry/heartbeat-reporter';

/** Where and as whom a client reports; the snapshot comes from the client itself. */
export type HeartbeatSettings = Omit<HeartbeatReporterOptions, 'snapshot'>;

/** Beats while started; nothing at all without settings. */
class ConnectedHeartbeats {
  #reporter: HeartbeatReporter | undefined;

  constructor(
    private readonly settings: HeartbeatSettings | undefined,
    private readonly snapshot: () => HeartbeatSnapshot,
  ) {}

  start(): void {
    if (this.settings && !this.#reporter) this.#reporter = startHeartbeats({ ...this.settings, snapshot: this.snapshot });
  }

  stop(): void {
    this.#reporter?.stop();
    this.#reporter = undefined;
  }
}

export class HeartbeatingProducer extends MultiClusterProducer {
  readonly #beats: ConnectedHeartbeats;

  /** `more`: what the process adds to each beat (the HTTP proxy: its per-application counts). */
  constructor(heartbeats: HeartbeatSettings | undefined, options: MultiClusterProducerOptions, more?: () => Partial<HeartbeatSnapshot>) {
    super(options);
    this.#beats = new ConnectedHeartbeats(heartbeats, () => {
      const info = this.clientInfo();
      return { ...more?.(), mappingVersion: info.mappingVersion, produces: info.produces, produced: info.counts };
    });
  }

  override async connect(): Promise<void> {
    await super.connect();
    this.#beats.start();
  }

  override async disconnect(options: { timeoutMs?: number } = {}): Promise<void> {
    this.#beats.stop();
    await super.disconnect(options);
  }
}

export class HeartbeatingConsumer extends MultiClusterConsumer {
  readonly #beats: ConnectedHeartbeats;

  constructor(heartbeats: HeartbeatSettings | undefined, options: MultiClusterConsumerOptions) {
    super(options);
    this.#beats = new ConnectedHeartbeats(heartbeats, () => {
      const info = this.clientInfo();
      return { mappingVersion: info.mappingVersion, consumes: info.consumes, groupId: info.groupId, consumed: info.counts };
    });
  }

  override async connect(): Promise<void> {
    await super.connect();
    this.#beats.start();
  }

  override async disconnect(): Promise<void> {
    this.#beats.stop();
    await super.disconnect();
  }
}
