// kafkajs 2.2.4's own connection machinery, for the Kafka APIs it has no call for (SCRAM
// credentials, client quotas): a request is an encoder and a decoder handed to a broker's
// connection pool, which frames, authenticates and correlates it as it does its own requests.
// These are kafkajs internals, not its API: package.json pins kafkajs to exactly 2.2.4 for them
// (and for patches/kafkajs+2.2.4.patch), and kafkajs-wire.test.ts fails first if they move.
import { createRequire } from 'node:module';
import type { Kafka } from 'kafkajs';

const requireKafkajs = createRequire(import.meta.url);

/** kafkajs' protocol Encoder (src/protocol/encoder.js): every write returns the encoder. */
export interface Encoder {
  readonly buffer: Buffer;
  writeInt8(value: number): Encoder;
  writeInt16(value: number): Encoder;
  writeInt32(value: number): Encoder;
  writeDouble(value: number): Encoder;
  writeBoolean(value: boolean): Encoder;
  /** INT16 length + UTF-8; null is length −1. */
  writeString(value: string | null): Encoder;
  /** Encoders one after the other behind an INT32 count. */
  writeArray(items: Encoder[]): Encoder;
  writeUVarInt(value: number): Encoder;
  /** COMPACT_STRING: uvarint(length + 1) + UTF-8; null is 0. */
  writeUVarIntString(value: string | null): Encoder;
  /** COMPACT_ARRAY: uvarint(count + 1), then the encoders. */
  writeUVarIntArray(items: Encoder[]): Encoder;
  writeBuffer(value: Buffer): Encoder;
}

/** kafkajs' protocol Decoder (src/protocol/decoder.js). */
export interface Decoder {
  readInt8(): number;
  readInt16(): number;
  readInt32(): number;
  readDouble(): number;
  readBoolean(): boolean;
  readString(): string | null;
  readArray<T>(reader: (decoder: Decoder) => T): T[];
  readUVarIntString(): string | null;
  /** null for a null COMPACT_ARRAY. */
  readUVarIntArray<T>(reader: (decoder: Decoder) => T): T[] | null;
  readTaggedFields(): unknown;
}

interface KafkajsErrorCode {
  type: string;
  code: number;
  retriable: boolean;
}

const EncoderClass = requireKafkajs('kafkajs/src/protocol/encoder') as new () => Encoder;
const DecoderClass = requireKafkajs('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => Decoder;
const { errorCodes } = requireKafkajs('kafkajs/src/protocol/error') as { errorCodes: KafkajsErrorCode[] };

export const encoder = (): Encoder => new EncoderClass();
export const decoder = (raw: Buffer): Decoder => new DecoderClass(raw);

/** An empty TAG_BUFFER, which ends every structure of a flexible API version (KIP-482). */
export const tags = (e: Encoder): Encoder => e.writeUVarInt(0);
/** COMPACT_BYTES: uvarint(length + 1) + the bytes. */
export const compactBytes = (e: Encoder, bytes: Buffer): Encoder => e.writeUVarInt(bytes.length + 1).writeBuffer(bytes);

/** A request as kafkajs' `Connection#send` takes it; `decode` gets the response after its correlation id. */
export interface WireRequest<T> {
  request: { apiKey: number; apiVersion: number; apiName: string; encode(): Promise<Encoder> };
  response: { decode(raw: Buffer): Promise<T & { clientSideThrottleTime: number }>; parse(data: T): Promise<T> };
}

/**
 * A version-0 request. A flexible version (KIP-482) ends every structure with a TAG_BUFFER, and
 * kafkajs writes request header v1: header v2 is v1 plus a TAG_BUFFER, so the body starts with
 * one (as kafkajs' own AlterPartitionReassignments does), and the response body starts with
 * response header v1's TAG_BUFFER. A classic version has no tagged fields anywhere.
 */
export function requestV0<T extends object>(apiKey: number, apiName: string, version: 'flexible' | 'classic', body: (e: Encoder) => void, read: (d: Decoder) => T): WireRequest<T> {
  const flexible = version === 'flexible';
  return {
    request: {
      apiKey,
      apiVersion: 0,
      apiName,
      encode: async () => {
        const e = encoder();
        if (flexible) tags(e);
        body(e);
        return flexible ? tags(e) : e;
      },
    },
    response: {
      decode: async (raw) => {
        const d = decoder(raw);
        if (flexible) d.readTaggedFields();
        // Throttling is the broker's business here: these are rare admin calls.
        return { ...read(d), clientSideThrottleTime: 0 };
      },
      parse: async (data) => data,
    },
  };
}

// Codes newer than kafkajs 2.2.4's table (clients/src/main/java/org/apache/kafka/common/protocol/Errors.java).
const NEWER_ERRORS: readonly KafkajsErrorCode[] = [
  { type: 'THROTTLING_QUOTA_EXCEEDED', code: 89, retriable: true },
  { type: 'PRODUCER_FENCED', code: 90, retriable: false },
  { type: 'RESOURCE_NOT_FOUND', code: 91, retriable: false },
  { type: 'DUPLICATE_RESOURCE', code: 92, retriable: false },
  { type: 'UNACCEPTABLE_CREDENTIAL', code: 93, retriable: false },
];

/**
 * A Kafka error code in a response, as an error kafka-errors.ts understands: `type` is Kafka's
 * name for the code, and the message says it with the broker's own explanation.
 */
export class KafkaRefusal extends Error {
  readonly type: string;
  readonly code: number;
  readonly retriable: boolean;

  /** `message` replaces the default "TYPE: broker's message", e.g. to name the user refused. */
  constructor(code: number, brokerMessage: string | null, message?: string) {
    const known = errorCodes.find((e) => e.code === code) ?? NEWER_ERRORS.find((e) => e.code === code);
    const type = known?.type ?? `error code ${code}`;
    super(message ?? (brokerMessage ? `${type}: ${brokerMessage}` : type));
    this.name = 'KafkaRefusal';
    this.type = type;
    this.code = code;
    this.retriable = known?.retriable ?? false;
  }
}

export interface WireBroker {
  readonly nodeId: number | null;
  /** ApiVersions of the broker: apiKey → supported range; null before it connected. */
  readonly versions: Record<number, { minVersion: number; maxVersion: number } | undefined> | null;
  readonly connectionPool: { send<T>(request: WireRequest<T>): Promise<T> };
  /** kafkajs' DescribeAcls on this very broker (v1 on Kafka 3.x). */
  describeAcls(filter: Record<string, string | number | undefined>): Promise<{ resources: WireAclResource[] }>;
}

export interface WireAclResource {
  resourceType: number;
  resourceName: string;
  resourcePatternType: number;
  acls: { principal: string; host: string; operation: number; permissionType: number }[];
}

export interface WireCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  /** In KRaft, Metadata's "controller" is a random live broker: it forwards what the controller must do. */
  findControllerBroker(): Promise<WireBroker>;
  findBroker(node: { nodeId: number }): Promise<WireBroker>;
  readonly brokerPool: { metadata: { brokers: { nodeId: number }[] } | null };
}

/** A kafkajs Cluster built from the Kafka instance's own options (brokers, SASL, retries, logger). */
export function clusterOf(kafka: Kafka): WireCluster {
  const create = Object.getOwnPropertySymbols(kafka).find((symbol) => symbol.description === 'private:Kafka:createCluster');
  const factory = create === undefined ? undefined : (kafka as unknown as Record<symbol, unknown>)[create];
  if (typeof factory !== 'function') throw new Error('kafkajs has no private:Kafka:createCluster: this code needs kafkajs 2.2.4 exactly');
  return (factory as (options: { allowAutoTopicCreation: boolean }) => WireCluster)({ allowAutoTopicCreation: false });
}

function checkVersion(broker: WireBroker, request: WireRequest<unknown>['request']): void {
  const range = broker.versions?.[request.apiKey];
  if (!range || request.apiVersion < range.minVersion || request.apiVersion > range.maxVersion) {
    const supported = range ? `versions ${range.minVersion}–${range.maxVersion}` : 'no version';
    throw new KafkaRefusal(35, `broker ${broker.nodeId ?? '?'} supports ${supported} of ${request.apiName}, Flotilla sends ${request.apiVersion} (Kafka 3.5 or later is needed)`);
  }
}

/** Sends to one live broker of the cluster; it forwards to the active controller what must go there. */
export async function sendToAnyBroker<T>(cluster: WireCluster, request: WireRequest<T>): Promise<T> {
  await cluster.connect();
  await cluster.refreshMetadata();
  const broker = await cluster.findControllerBroker();
  checkVersion(broker, request.request);
  return broker.connectionPool.send(request);
}

/** Runs `work` on every broker of the cluster: describe calls answer from the receiving broker's metadata. */
export async function onEveryBroker<T>(cluster: WireCluster, work: (broker: WireBroker) => Promise<T>): Promise<T[]> {
  await cluster.connect();
  await cluster.refreshMetadata();
  const nodes = cluster.brokerPool.metadata?.brokers ?? [];
  return Promise.all(nodes.map(async ({ nodeId }) => work(await cluster.findBroker({ nodeId }))));
}

/** Sends the request to every broker (see onEveryBroker). */
export function sendToEveryBroker<T>(cluster: WireCluster, request: () => WireRequest<T>): Promise<T[]> {
  return onEveryBroker(cluster, async (broker) => {
    const one = request();
    checkVersion(broker, one.request);
    return broker.connectionPool.send(one);
  });
}
