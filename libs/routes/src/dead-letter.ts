// What a dead-lettered record carries: its original key, value, headers and timestamp, plus
// `flotilla.dlq.*` headers naming the route, the step that failed, why, and where the record
// was read from, so it can be inspected and replayed without the router's logs.
import type { RouteRecord } from './route-record';
import { boundText } from './bound-text';

export const DEAD_LETTER_HEADERS = {
  route: 'flotilla.dlq.route',
  step: 'flotilla.dlq.step',
  stepType: 'flotilla.dlq.step.type',
  error: 'flotilla.dlq.error',
  topic: 'flotilla.dlq.source.topic',
  partition: 'flotilla.dlq.source.partition',
  offset: 'flotilla.dlq.source.offset',
  cluster: 'flotilla.dlq.source.cluster',
} as const;

/** The error header is cut to this many characters (at most 4 KB of UTF-8). */
export const MAX_DEAD_LETTER_ERROR_LENGTH = 1_000;

export interface DeadLetterInfo {
  readonly route: string;
  /** Index of the failed step (`steps.length` for a keyed route's missing key). */
  readonly step: number;
  readonly stepType: string;
  readonly error: string;
  /** Where the record was read: source topic, partition, offset (KafkaJS's string) and cluster. */
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly cluster: string;
}

export type DeadLetterHeaders = Record<(typeof DEAD_LETTER_HEADERS)[keyof typeof DEAD_LETTER_HEADERS], string>;

export function deadLetterHeaders(info: DeadLetterInfo): DeadLetterHeaders {
  return {
    [DEAD_LETTER_HEADERS.route]: info.route,
    [DEAD_LETTER_HEADERS.step]: String(info.step),
    [DEAD_LETTER_HEADERS.stepType]: info.stepType,
    [DEAD_LETTER_HEADERS.error]: boundText(info.error, MAX_DEAD_LETTER_ERROR_LENGTH),
    [DEAD_LETTER_HEADERS.topic]: info.topic,
    [DEAD_LETTER_HEADERS.partition]: String(info.partition),
    [DEAD_LETTER_HEADERS.offset]: info.offset,
    [DEAD_LETTER_HEADERS.cluster]: info.cluster,
  };
}

/**
 * The record to produce to the dead-letter topic: `record` as it was read, with the dead-letter
 * headers added (replacing older `flotilla.dlq.*` values of a record dead-lettered before).
 */
export function deadLetterRecord(record: RouteRecord, info: DeadLetterInfo): RouteRecord {
  return {
    key: record.key,
    value: record.value,
    headers: { ...record.headers, ...deadLetterHeaders(info) },
    timestamp: record.timestamp,
  };
}
