// Incremental parser for text/event-stream (the WHATWG "server-sent events" format): bytes go in
// as they arrive, complete events come out. Chunks may split anywhere — inside a field, inside a
// CRLF pair, inside a multi-byte UTF-8 character — so all three are carried across pushes.

export interface SseEvent {
  /** The `event:` field; "message" when the event names none. */
  readonly type: string;
  /** The `data:` fields joined with "\n". */
  readonly data: string;
  /** The last `id:` seen on the stream so far (it persists across events, per the format). */
  readonly lastEventId: string;
}

const LF = 0x0a;
const CR = 0x0d;

export class SseParser {
  // stream: true keeps a character split across chunks until its last byte arrives; the
  // decoder also drops a leading byte-order mark, as the format requires.
  readonly #decoder = new TextDecoder('utf-8');
  /** Pieces of a line whose end has not arrived yet; joined once, when it does. */
  #partial: string[] = [];
  /** The previous chunk ended in CR: a LF starting this one belongs to that line end. */
  #afterCr = false;
  #sawText = false;
  #data: string[] = [];
  #hasData = false;
  #type = '';
  #lastEventId = '';

  /** Feeds bytes (or already decoded text); returns the events this chunk completed. */
  push(chunk: Uint8Array | string): SseEvent[] {
    let text = typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true });
    if (!this.#sawText && text.length > 0) {
      this.#sawText = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      if (this.#afterCr) {
        this.#afterCr = false;
        if (code === LF) {
          start = i + 1;
          continue;
        }
      }
      if (code !== CR && code !== LF) continue;
      const piece = text.slice(start, i);
      const line = this.#partial.length === 0 ? piece : this.#partial.join('') + piece;
      this.#partial = [];
      this.#line(line, events);
      start = i + 1;
      this.#afterCr = code === CR;
    }
    if (start < text.length) this.#partial.push(text.slice(start));
    return events;
  }

  #line(line: string, events: SseEvent[]): void {
    if (line === '') {
      this.#dispatch(events);
      return;
    }
    // A line starting with ':' is a comment (our heartbeats); it only proves the stream lives.
    if (line.charCodeAt(0) === 0x3a) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#type = value;
        break;
      case 'data':
        this.#data.push(value);
        this.#hasData = true;
        break;
      case 'id':
        // The format ignores ids containing NUL rather than truncating them.
        if (!value.includes('\0')) this.#lastEventId = value;
        break;
      default:
        // `retry:` and unknown fields: the follower keeps its own backoff, so nothing to do.
        break;
    }
  }

  #dispatch(events: SseEvent[]): void {
    // A blank line after only comments or ids completes no event.
    if (this.#hasData) {
      events.push({ type: this.#type === '' ? 'message' : this.#type, data: this.#data.join('\n'), lastEventId: this.#lastEventId });
    }
    this.#data = [];
    this.#hasData = false;
    this.#type = '';
  }
}
