// The bytes of the mapping stream (text/event-stream). Each frame ends with a blank line so a
// follower dispatches it at once; a frame is written with one write() so frames never interleave.
import type { PublishedMapping } from './published-mapping';

export const MAPPING_EVENT = 'mapping';

export function mappingFrame(mapping: PublishedMapping): string {
  // SSE data cannot span a raw newline: each line of the text becomes its own `data:` field and
  // the follower joins them with "\n" again. JSON.stringify output is a single line anyway.
  const data = mapping.raw
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}\n`)
    .join('');
  const id = mapping.version === undefined ? '' : `id: ${mapping.version}\n`;
  return `${id}event: ${MAPPING_EVENT}\n${data}\n`;
}

/** A comment line: keeps proxies from closing an idle stream and lets followers detect a dead one. */
export const HEARTBEAT_FRAME = ': heartbeat\n\n';

/** Sent on connect so the follower sees bytes (and knows the stream is alive) before any version. */
export const HELLO_FRAME = ': flotilla mapping stream\n\n';
