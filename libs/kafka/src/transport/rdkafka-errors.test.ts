import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import RdKafka from 'node-rdkafka';
import { rdkafkaError, rdkafkaErrorCode } from './rdkafka-errors';

const codes = RdKafka.CODES.ERRORS;
// The binding node-rdkafka itself loads; its err2str is the text delivery reports are built from.
const binding = createRequire(import.meta.url)('node-rdkafka/librdkafka.js') as { err2str(code: number): string };

/** A delivery-report error as node-rdkafka hands it over: code -1, text lower-cased without origin. */
function reported(code: number): { code: number; message: string } {
  const text = binding.err2str(code);
  return { code: -1, message: text.slice(text.indexOf(': ') + 2).toLowerCase() };
}

describe('rdkafkaError', () => {
  it('recognises delivery-report errors by librdkafka text, since they carry no code', () => {
    for (const code of [codes.ERR__MSG_TIMED_OUT, codes.ERR__UNKNOWN_TOPIC, codes.ERR_UNKNOWN_TOPIC_OR_PART, codes.ERR_MSG_SIZE_TOO_LARGE, codes.ERR_TOPIC_AUTHORIZATION_FAILED]) {
      expect(rdkafkaErrorCode(reported(code))).toBe(code);
    }
  });

  it('makes rejected input non-retryable, denial forbidden and everything else retryable', () => {
    const unknown = rdkafkaError(reported(codes.ERR__UNKNOWN_TOPIC), 'send to topic "t"');
    expect([unknown.code, unknown.retryable, unknown.message]).toEqual(['VALIDATION', false, 'send to topic "t": unknown topic (unknown topic)']);
    expect(rdkafkaError({ code: codes.ERR_TOPIC_AUTHORIZATION_FAILED, message: 'Broker: Topic authorization failed' }, 'x').code).toBe('FORBIDDEN');
    const timedOut = rdkafkaError(reported(codes.ERR__MSG_TIMED_OUT), 'x');
    expect([timedOut.code, timedOut.retryable]).toEqual(['UNAVAILABLE', true]);
    expect(rdkafkaError({ code: codes.ERR__TRANSPORT, message: 'Local: Broker transport failure' }, 'x').retryable).toBe(true);
  });
});
