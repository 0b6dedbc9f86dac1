// `{ "filter": "<JSONata>" }`: keeps a record when the predicate gives true, drops it when it
// gives false. Anything else (a missing field's undefined, a string) is a failed step, never a
// silent drop: only an explicit false loses a record. Filters within the native grammar
// (native-filter.ts) answer synchronously; the rest, and records those cannot decide, go to JSONata.
import { showValue } from '@flotilla/errors';
import { compileExpression } from '../expression';
import { CONTINUE, DROP, fail, type CompiledStep, type StepResult } from './compiled-step';
import { evaluateOnRecord } from './evaluate-on-record';
import { compileNativeFilter, UNDECIDED } from './native-filter';

export function compileFilterStep(source: string): CompiledStep {
  const expression = compileExpression(source);
  const native = compileNativeFilter(expression);
  const viaJsonata: CompiledStep['run'] = (state) => evaluateOnRecord(expression, state).then(verdict);
  if (native === undefined) return { type: 'filter', run: viaJsonata };
  return {
    type: 'filter',
    run: (state) => {
      const result = native(state);
      return result === UNDECIDED ? viaJsonata(state) : verdict(result);
    },
  };
}

function verdict(result: unknown): StepResult {
  if (result === true) return CONTINUE;
  if (result === false) return DROP;
  return fail(`the filter gave ${showValue(result)}, expected true or false`);
}
