import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from './sse-parser';

const encoder = new TextEncoder();

function parseAll(chunks: readonly (Uint8Array | string)[]): SseEvent[] {
  const parser = new SseParser();
  return chunks.flatMap((chunk) => parser.push(chunk));
}

/** Every way of cutting `bytes` in two, plus one byte at a time. */
function splits(bytes: Uint8Array): Uint8Array[][] {
  const ways: Uint8Array[][] = [];
  for (let cut = 0; cut <= bytes.length; cut += 1) ways.push([bytes.slice(0, cut), bytes.slice(cut)]);
  ways.push([...bytes].map((byte) => Uint8Array.of(byte)));
  return ways;
}

const MAPPING_STREAM =
  ': flotilla mapping stream\n\n' +
  'id: 41\nevent: mapping\ndata: {"version":41,"clusters":{}}\n\n' +
  ': heartbeat\n\n' +
  'id: 42\nevent: mapping\ndata: {"version":42,"note":"fronting-kafka-1 → ünïcode"}\n\n';

const EXPECTED: SseEvent[] = [
  { type: 'mapping', data: '{"version":41,"clusters":{}}', lastEventId: '41' },
  { type: 'mapping', data: '{"version":42,"note":"fronting-kafka-1 → ünïcode"}', lastEventId: '42' },
];

describe('SseParser', () => {
  it('parses the mapping stream: ids, event names, data; comments produce nothing', () => {
    expect(parseAll([MAPPING_STREAM])).toEqual(EXPECTED);
  });

  it('gives the same events however the bytes are cut, including inside UTF-8 characters', () => {
    const bytes = encoder.encode(MAPPING_STREAM);
    for (const chunks of splits(bytes)) expect(parseAll(chunks)).toEqual(EXPECTED);
  });

  it('accepts CRLF, CR and LF line ends, and a CRLF cut between its CR and its LF', () => {
    const crlf = 'event: mapping\r\ndata: a\r\ndata: b\r\n\r\n';
    const cr = 'event: mapping\rdata: a\rdata: b\r\r';
    const expected = [{ type: 'mapping', data: 'a\nb', lastEventId: '' }];
    expect(parseAll([crlf])).toEqual(expected);
    expect(parseAll([cr])).toEqual(expected);
    for (const chunks of splits(encoder.encode(crlf))) expect(parseAll(chunks)).toEqual(expected);
    // Were the LF after a chunk-final CR read as a second line end, the blank line would end
    // the event early with only "a".
    expect(parseAll(['data: a\r', '\ndata: b\r\n\r\n'])).toEqual([{ type: 'message', data: 'a\nb', lastEventId: '' }]);
  });

  it('emits an event only at its blank line; a stream cut before it completes nothing', () => {
    const parser = new SseParser();
    expect(parser.push('event: mapping\ndata: {"version":1}\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ type: 'mapping', data: '{"version":1}', lastEventId: '' }]);
    expect(parseAll(['data: never finished\n'])).toEqual([]);
  });

  it('follows the field rules: one leading space stripped, no colon means empty value, unknown fields ignored', () => {
    expect(parseAll(['data:no-space\ndata:  two-spaces\ndata\nretry: 5\nfoo: bar\n\n'])).toEqual([
      { type: 'message', data: 'no-space\n two-spaces\n', lastEventId: '' },
    ]);
  });

  it('keeps the last id across events and ignores an id containing NUL', () => {
    expect(parseAll(['id: 7\ndata: a\n\ndata: b\n\nid: 8\0\ndata: c\n\n'])).toEqual([
      { type: 'message', data: 'a', lastEventId: '7' },
      { type: 'message', data: 'b', lastEventId: '7' },
      { type: 'message', data: 'c', lastEventId: '7' },
    ]);
  });

  it('does not carry an event name past its blank line, and a blank line without data is no event', () => {
    expect(parseAll(['event: mapping\n\ndata: x\n\n'])).toEqual([{ type: 'message', data: 'x', lastEventId: '' }]);
  });

  it('drops a byte-order mark at the start of the stream only', () => {
    expect(parseAll([Uint8Array.of(0xef, 0xbb), Uint8Array.of(0xbf), encoder.encode('data: x\n\n')])).toEqual([
      { type: 'message', data: 'x', lastEventId: '' },
    ]);
    expect(parseAll(['\uFEFFdata: y\n\n'])).toEqual([{ type: 'message', data: 'y', lastEventId: '' }]);
  });

  it('handles a long data line arriving in many small chunks', () => {
    const document = JSON.stringify({ version: 3, padding: 'x'.repeat(200_000) });
    const text = `event: mapping\ndata: ${document}\n\n`;
    const chunks: string[] = [];
    for (let at = 0; at < text.length; at += 1_000) chunks.push(text.slice(at, at + 1_000));
    expect(parseAll(chunks)).toEqual([{ type: 'mapping', data: document, lastEventId: '' }]);
  });
});
