// A short, loggable form of an operation's input or result: one log line should say what was done
// to what, not carry a whole mapping document. A cluster reference ({ name, bootstrap }) becomes its
// name, long lists and strings are cut with a count of what was left out, deep nesting is elided.

const MAX_ITEMS = 8;
const MAX_STRING = 160;
const MAX_DEPTH = 3;

export function logSummary(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…(+${value.length - MAX_STRING} chars)` : value;
  if (value === null || typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? String(value) : value;
  if (value instanceof Date) return value.toISOString();
  if (isClusterRef(value)) return value.name;
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? `[${value.length} items]` : '{…}';
  if (Array.isArray(value)) {
    const shown = value.slice(0, MAX_ITEMS).map((item: unknown) => logSummary(item, depth + 1));
    return value.length > MAX_ITEMS ? [...shown, `…(+${value.length - MAX_ITEMS})`] : shown;
  }
  const entries = Object.entries(value);
  const shown = entries.slice(0, MAX_ITEMS * 2).map(([key, item]) => [key, logSummary(item, depth + 1)] as const);
  return Object.fromEntries(entries.length > MAX_ITEMS * 2 ? [...shown, ['…', `+${entries.length - MAX_ITEMS * 2} fields`]] : shown);
}

function isClusterRef(value: object): value is { name: string } {
  return 'name' in value && typeof value.name === 'string' && 'bootstrap' in value && Array.isArray(value.bootstrap);
}
