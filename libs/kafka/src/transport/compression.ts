// Per-send compression with KafkaJS' names: `CompressionTypes` and the `CompressionCodecs`
// registry are KafkaJS' own objects, so an application registers Snappy, LZ4 or ZSTD exactly as
// with KafkaJS (`CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec`), and the kafkajs
// transport, which compresses through kafkajs, uses what it registered. GZIP is built in.
import kafkajs from 'kafkajs';
import RdKafka from 'node-rdkafka';
import type { TransportKind } from './transport';

// kafkajs is CommonJS: Node's ESM loader (tsx, apps, the packed client) does not find these two
// by name, so they are read from the default export, as kafka-admin.ts reads its enums.
export const { CompressionCodecs, CompressionTypes } = kafkajs;

const NAMES: Readonly<Record<number, string>> = { 0: 'None', 1: 'GZIP', 2: 'Snappy', 3: 'LZ4', 4: 'ZSTD' };
/** librdkafka's name of each codec in its `features`. */
const LIBRDKAFKA_FEATURES: Readonly<Record<number, string>> = { 1: 'gzip', 2: 'snappy', 3: 'lz4', 4: 'zstd' };

/**
 * Why a send with `compression` cannot go over a transport of `kind`, or undefined when it can:
 * a value that is not a CompressionTypes member, a codec nobody registered (kafkajs would fail
 * the request later), or over node-rdkafka a codec its librdkafka was built without (its codecs
 * are built in; CompressionCodecs does not apply).
 */
export function compressionRefusal(kind: TransportKind, compression: unknown): string | undefined {
  if (compression === undefined || compression === CompressionTypes.None) return undefined;
  const name = typeof compression === 'number' ? NAMES[compression] : undefined;
  if (name === undefined) return `compression: expected one of CompressionTypes (${Object.entries(NAMES).map(([value, n]) => `${n} ${value}`).join(', ')}), got ${JSON.stringify(compression)}`;
  if (kind === 'rdkafka') {
    const feature = LIBRDKAFKA_FEATURES[compression as number]!;
    if (RdKafka.features.includes(feature)) return undefined;
    return `compression: ${name} is not supported over the node-rdkafka transport: its librdkafka was built without ${feature} (it has ${RdKafka.features.join(', ')}); use the kafkajs transport with a registered codec`;
  }
  const type = compression as number;
  if (type === CompressionTypes.GZIP) return undefined;
  try {
    const codec: unknown = (CompressionCodecs as Record<number, (() => unknown) | undefined>)[type]?.();
    if (codec) return undefined;
  } catch {
    // KafkaJS' placeholder throws "not implemented": nobody registered a codec.
  }
  return `compression: ${name} needs a codec: register one as with KafkaJS, CompressionCodecs[CompressionTypes.${name}] = codec (CompressionCodecs from @flotilla/client), before sending`;
}
