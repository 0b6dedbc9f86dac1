// Evaluates a compiled JSONata expression against a record's view. The value is parsed only if
// the expression reads it; when that parse fails, the parse error is what the step reports.
import type { Expression } from '../expression';
import type { RecordState } from '../record-state';

export async function evaluateOnRecord(expression: Expression, state: RecordState): Promise<unknown> {
  try {
    const result: unknown = await expression.evaluate(state.view());
    // JSONata may have absorbed the parse failure (`$exists(value)`): it still fails the step.
    if (state.valueError) throw state.valueError;
    return result;
  } catch (thrown) {
    throw state.valueError ?? thrown;
  }
}
