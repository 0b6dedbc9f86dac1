// A synchronous stand-in for JSONata on the filters most routes use: field paths (`value.a.b`,
// `key`, `headers.name`), string/number/boolean/null literals, `= != < <= > >=`, `and`, `or` and
// parentheses. It follows JSONata 2's evaluator step by step (the same evaluation order and
// short-circuits, so it reads the value exactly when JSONata would) and answers only where that
// answer is certain; wherever JSONata would map over an array, raise an error or meet an object
// as an operand, it gives UNDECIDED and the caller runs JSONata itself, which then produces the
// very result or error it always did. Any other expression is not compiled here at all.
import type { Expression } from '../expression';
import type { RecordState } from '../record-state';

/** This record needs JSONata: an array in a path, an object operand, or an error to report. */
export const UNDECIDED: unique symbol = Symbol('undecided');

/** A filter's result as JSONata gives it (a JSON primitive or undefined), or UNDECIDED. */
export type NativeFilter = (state: RecordState) => unknown;

type Evaluator = (state: RecordState) => unknown;

interface AstNode {
  readonly type: string;
  readonly value?: unknown;
  readonly steps?: readonly AstNode[];
  readonly expressions?: readonly AstNode[];
  readonly lhs?: AstNode;
  readonly rhs?: AstNode;
}

// JSONata fails an evaluation nested deeper than its stack option (500 in expression.ts); far
// shallower trees are the only ones compiled here, so that limit can never be what decides.
const MAX_DEPTH = 64;

const ROOTS: ReadonlyMap<string, Evaluator> = new Map<string, Evaluator>([
  ['value', (state) => state.value()],
  ['key', (state) => state.key?.toString('utf8')],
  ['headers', () => UNDECIDED], // the whole header object as an operand: JSONata's business
]);

const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=']);

// Only these keys: anything else (predicates, stages, `[]`, grouping, focus) changes the meaning.
const NODE_KEYS: Readonly<Record<string, ReadonlySet<string>>> = {
  path: new Set(['type', 'steps']),
  name: new Set(['type', 'value', 'position']),
  string: new Set(['type', 'value', 'position']),
  number: new Set(['type', 'value', 'position']),
  value: new Set(['type', 'value', 'position']),
  block: new Set(['type', 'expressions', 'position']),
  binary: new Set(['type', 'value', 'position', 'lhs', 'rhs']),
};

/** The native form of a compiled filter, or undefined when it uses anything beyond that grammar. */
export function compileNativeFilter(expression: Expression): NativeFilter | undefined {
  const evaluate = compileNode(expression.ast() as unknown as AstNode, 0);
  if (evaluate === undefined) return undefined;
  return (state) => {
    if (state.valueError) return UNDECIDED;
    let result: unknown;
    try {
      result = evaluate(state);
    } catch {
      return UNDECIDED; // the value is not JSON: JSONata reports that exactly as it always has
    }
    // A result that is an object or array (a bare path) is left to JSONata to hand back.
    return typeof result === 'object' && result !== null ? UNDECIDED : result;
  };
}

function compileNode(node: AstNode, depth: number): Evaluator | undefined {
  if (depth > MAX_DEPTH || !hasOnlyKnownKeys(node)) return undefined;
  switch (node.type) {
    case 'string':
    case 'number':
    case 'value': {
      const literal = node.value;
      if (!(typeof literal === 'string' || typeof literal === 'number' || typeof literal === 'boolean' || literal === null)) return undefined;
      return () => literal;
    }
    case 'path':
      return compilePath(node.steps ?? []);
    case 'block': {
      const inner = node.expressions;
      if (inner?.length !== 1) return undefined;
      return compileNode(inner[0] as AstNode, depth + 1);
    }
    case 'binary':
      return compileBinary(node, depth);
    default:
      return undefined;
  }
}

function hasOnlyKnownKeys(node: AstNode): boolean {
  const allowed = NODE_KEYS[node.type];
  return allowed !== undefined && Object.keys(node).every((key) => allowed.has(key));
}

function compilePath(steps: readonly AstNode[]): Evaluator | undefined {
  const names: string[] = [];
  for (const step of steps) {
    if (step.type !== 'name' || !hasOnlyKnownKeys(step) || typeof step.value !== 'string') return undefined;
    names.push(step.value);
  }
  const [root, ...rest] = names;
  const start = root === undefined ? undefined : ROOTS.get(root);
  if (start === undefined) return undefined;
  if (root === 'headers' && rest.length > 0) {
    const [header, ...beyond] = rest as [string, ...string[]];
    return (state) => walk(headerText(state, header), beyond);
  }
  return (state) => walk(start(state), rest);
}

/** JSONata's `headers.<name>`: the texts of the record's headers, built as RecordView builds them. */
function headerText(state: RecordState, name: string): unknown {
  const headers = state.headers;
  // RecordView turns every entry into text, and throws on one it cannot (a null header value,
  // which Kafka allows): then JSONata fails with that error, whichever header was asked for.
  const entries = Object.values(headers);
  if (!entries.every(isTextable)) return UNDECIDED;
  // It lists own enumerable entries (Object.entries) and skips undefined ones.
  if (!Object.prototype.propertyIsEnumerable.call(headers, name)) return undefined;
  const entry = headers[name];
  if (entry === undefined) return undefined;
  return Array.isArray(entry) ? UNDECIDED : entry.toString();
}

function isTextable(entry: unknown): boolean {
  const isText = (part: unknown): boolean => typeof part === 'string' || Buffer.isBuffer(part);
  return entry === undefined || isText(entry) || (Array.isArray(entry) && entry.every(isText));
}

/** JSONata's `fn.lookup` along the path, where no array is met (it would map over one). */
function walk(start: unknown, names: readonly string[]): unknown {
  let current = start;
  if (Array.isArray(current)) return UNDECIDED;
  for (const name of names) {
    if (current === UNDECIDED || current === undefined) return current;
    current = lookup(current, name);
    if (Array.isArray(current)) return UNDECIDED;
  }
  return current;
}

function lookup(input: unknown, name: string): unknown {
  if (input === null || typeof input !== 'object' || !Object.prototype.hasOwnProperty.call(input, name)) return undefined;
  const fields = input as Record<string, unknown>;
  // JSONata takes an object marked as one of its functions for a function, and looks into none.
  if (fields['_jsonata_function'] === true || fields['_jsonata_lambda'] === true) return undefined;
  return fields[name];
}

function compileBinary(node: AstNode, depth: number): Evaluator | undefined {
  const op = node.value;
  if (node.lhs === undefined || node.rhs === undefined || typeof op !== 'string') return undefined;
  const lhs = compileNode(node.lhs, depth + 1);
  const rhs = compileNode(node.rhs, depth + 1);
  if (lhs === undefined || rhs === undefined) return undefined;
  if (op === 'and' || op === 'or') {
    const stopAt = op === 'or';
    return (state) => {
      const left = truthOf(lhs(state));
      if (left === UNDECIDED || left === stopAt) return left;
      return truthOf(rhs(state));
    };
  }
  if (!COMPARISONS.has(op)) return undefined;
  const compare = op === '=' || op === '!=' ? equality(op === '!=') : ordering(op);
  return (state) => {
    const left = lhs(state);
    if (left === UNDECIDED) return UNDECIDED;
    const right = rhs(state);
    if (right === UNDECIDED) return UNDECIDED;
    if (isObject(left) || isObject(right)) return UNDECIDED; // deep equality, or an error
    return compare(left, right);
  };
}

function isObject(operand: unknown): boolean {
  return typeof operand === 'object' && operand !== null;
}

/** JSONata's `=` / `!=` on primitives: false when either side is missing. */
function equality(negated: boolean): (left: unknown, right: unknown) => unknown {
  return (left, right) => {
    if (left === undefined || right === undefined) return false;
    return (left === right) !== negated;
  };
}

/** JSONata's `< <= > >=`: strings with strings, numbers with numbers, nothing when one is missing. */
function ordering(op: string): (left: unknown, right: unknown) => unknown {
  const test = ORDERINGS[op] as (left: string | number, right: string | number) => boolean;
  return (left, right) => {
    const leftType = typeof left;
    const rightType = typeof right;
    const comparable = (type: string): boolean => type === 'undefined' || type === 'string' || type === 'number';
    if (!comparable(leftType) || !comparable(rightType)) return UNDECIDED; // T2010
    if (left === undefined || right === undefined) return undefined;
    if (leftType !== rightType) return UNDECIDED; // T2009
    return test(left as string | number, right as string | number);
  };
}

const ORDERINGS: Readonly<Record<string, (left: string | number, right: string | number) => boolean>> = {
  '<': (left, right) => left < right,
  '<=': (left, right) => left <= right,
  '>': (left, right) => left > right,
  '>=': (left, right) => left >= right,
};

/** JSONata's boolean cast of an `and`/`or` operand (`boolize`), for the primitives reaching it. */
function truthOf(operand: unknown): boolean | typeof UNDECIDED {
  if (operand === UNDECIDED || isObject(operand)) return UNDECIDED;
  if (operand === undefined || operand === null) return false;
  if (typeof operand === 'boolean') return operand;
  if (typeof operand === 'string') return operand.length > 0;
  // A number that is not finite (1e400 in a value) is an error in JSONata's cast.
  if (typeof operand === 'number') return Number.isFinite(operand) ? operand !== 0 : UNDECIDED;
  return UNDECIDED;
}
