// Who the client bench measures and in which order: per transport, the smart client, the library
// it wraps (the peer) and Flotilla's transport over that library; the order of every round.
import type { KafkaAdmin, TransportKind } from '@flotilla/kafka';
import type { ClientUnderTest } from './client-under-test';
import { rotate } from './round-stats';

export const KINDS: readonly TransportKind[] = ['kafkajs', 'rdkafka'];

export type Role = 'smart' | 'transport' | 'library';

export interface Contender {
  kind: TransportKind;
  role: Role;
  client: ClientUnderTest;
}

/**
 * The order of one round: the kinds take turns going first; within a kind the smart client and
 * the library run back to back, each going first every other round (the two kinds differ), and
 * the transport runs before or after that pair.
 */
export function roundOrder(all: readonly Contender[], round: number): Contender[] {
  const kinds = kindsIn(all);
  return rotate(kinds, round).flatMap((kind) => {
    const shift = round + kinds.indexOf(kind);
    const pick = (role: Role): Contender[] => {
      const c = contenderOf(all, kind, role);
      return c ? [c] : [];
    };
    const pair = shift % 2 === 0 ? [...pick('smart'), ...pick('library')] : [...pick('library'), ...pick('smart')];
    return Math.floor(shift / 2) % 2 === 0 ? [...pair, ...pick('transport')] : [...pick('transport'), ...pair];
  });
}

/** The contender of `kind` in `role`, if it takes part. */
export function contenderOf(all: readonly Contender[], kind: TransportKind, role: Role): Contender | undefined {
  return all.find((c) => c.kind === kind && c.role === role);
}

/** The transports taking part, in KINDS order. */
export function kindsIn(all: readonly Contender[]): TransportKind[] {
  return KINDS.filter((kind) => all.some((c) => c.kind === kind));
}

export function slug(c: Contender): string {
  return `${c.kind}-${c.role}`;
}

/** The broker must hold exactly what the producer was told it acknowledged: no loss, no duplicates. */
export async function checkTopicHolds(admin: KafkaAdmin, topic: string, records: number, who: string): Promise<void> {
  let total = 0n;
  for (const offset of (await admin.endOffsets(topic)).values()) total += offset;
  if (total !== BigInt(records)) throw new Error(`${who} reported ${records} records acknowledged but topic ${topic} holds ${total}`);
}

/**
 * A round's topics are of no use once the round is over. Kept, a 15-round run would fill tens of
 * GB (each round writes every producer's 500,000 × 100 B and 300,000 × 1 KB); the broker removes
 * the files in the background, a minute later. A failed delete costs only disk.
 */
export async function dropTopics(admin: KafkaAdmin, topics: readonly string[], progress: (line: string) => void): Promise<void> {
  for (const topic of topics) {
    try {
      await admin.deleteTopic(topic);
    } catch (error) {
      progress(`could not delete topic ${topic} (it stays on disk until the run ends): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
