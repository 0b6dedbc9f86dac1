// JSONata, the one expression language of routes: compiled once per route, evaluated per record
// against a record view. No user JavaScript ever runs; JSONata interprets its own syntax tree.
import jsonata from 'jsonata';

export type Expression = jsonata.Expression;

export const MAX_EXPRESSION_LENGTH = 10_000;

// Nested function calls deeper than this fail the step instead of exhausting the process's
// stack (a recursive lambda with no base case).
const MAX_CALL_DEPTH = 500;
// A tail-recursive lambda loops without growing the stack, and would hold the router's event
// loop forever. JSONata checks this at each function call; it is far above what any sane
// per-record expression takes, even on a loaded machine with many records evaluated at once.
export const EXPRESSION_TIMEOUT_MS = 1_000;

interface JsonataErrorShape {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly position?: unknown;
}

/** Compiles `source`; throws JSONata's syntax error (see `expressionProblem` for a readable one). */
export function compileExpression(source: string): Expression {
  return jsonata(source, { stack: MAX_CALL_DEPTH, timeout: EXPRESSION_TIMEOUT_MS });
}

/** Why `source` is not a usable JSONata expression, or undefined when it is. */
export function expressionProblem(source: string): string | undefined {
  if (source.trim() === '') return 'expected a JSONata expression, got an empty string';
  if (source.length > MAX_EXPRESSION_LENGTH) {
    return `expected an expression of at most ${MAX_EXPRESSION_LENGTH} characters, got ${source.length}`;
  }
  try {
    compileExpression(source);
    return undefined;
  } catch (thrown) {
    const error = thrown as JsonataErrorShape;
    const where = typeof error.position === 'number' ? ` at position ${error.position}` : '';
    return `JSONata syntax error${where}: ${describeThrown(thrown)}`;
  }
}

/** One line for anything an evaluation threw: JSONata throws plain objects with `code`. */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'object' && thrown !== null) {
    const error = thrown as JsonataErrorShape;
    const message = typeof error.message === 'string' ? error.message : 'evaluation failed';
    return typeof error.code === 'string' ? `${message} (JSONata ${error.code})` : message;
  }
  return String(thrown);
}
