// A published mapping version as the server holds it: the exact text it serves and, when the
// text is a JSON object with a usable `version`, that number (the SSE event id).

export interface PublishedMapping {
  /** The `version` of the document, or undefined when the text does not carry a usable one. */
  readonly version: number | undefined;
  /** Served byte for byte: tests publish malformed text on purpose to exercise rejection. */
  readonly raw: string;
}

export function toPublishedMapping(document: object | string): PublishedMapping {
  const raw = typeof document === 'string' ? document : JSON.stringify(document);
  return { version: versionOf(raw), raw };
}

function versionOf(raw: string): number | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || !('version' in parsed)) return undefined;
  const version: unknown = parsed.version;
  return typeof version === 'number' && Number.isSafeInteger(version) && version > 0 ? version : undefined;
}

/** Parses a Last-Event-ID header: the version a reconnecting follower already holds. */
export function parseLastEventId(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^[0-9]{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
