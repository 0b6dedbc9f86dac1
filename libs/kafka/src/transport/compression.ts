// Per-send compression with KafkaJS' names: `CompressionTypes` and the `CompressionCodecs`
// registry are KafkaJS' own objects, so an application registers Snappy, LZ4 or ZSTD exactly as
// with KafkaJS (`CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec`), and the kafkajs
// transport, which compresses through kafkajs, uses what it registered. GZIP is built in.
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import type { TransportKind } from './transport';

export { CompressionCodecs, CompressionTypes };

const NAMES: Readonly<Record<number, string>> = { 0: 'None', 1: 'GZIP', 2: 'Snappy', 3: 'LZ4', 4: 'ZSTD' };

/**
 * Why a send with `compression` cannot go over a transport of `kind`, or undefined when it can:
 * a value that is not a CompressionTypes member, a codec nobody registered (kafkajs would fail
 * the request later), or any compression over node-rdkafka, where the codec is a setting of the
 * whole client, not of one request.
 */
export function compressionRefusal(kind: TransportKind, compression: unknown): string | undefined {
  if (compression === undefined || compression === CompressionTypes.None) return undefined;
  const name = typeof compression === 'number' ? NAMES[compression] : undefined;
  if (name === undefined) return `compression: expected one of CompressionTypes (${Object.entries(NAMES).map(([value, n]) => `${n} ${value}`).join(', ')}), got ${JSON.stringify(compression)}`;
  if (kind === 'rdkafka') {
    return `compression: ${name} per send is not supported over the node-rdkafka transport (librdkafka sets its codec for a whole client, and a client per codec would reorder a partition's records); use the kafkajs transport or leave compression out`;
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
