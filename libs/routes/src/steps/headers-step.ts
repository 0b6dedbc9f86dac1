// `{ "headers": { "set": {...}, "drop": [...] } }`: drops then sets headers. A set value is a
// literal string, or `{ "expression": "<JSONata>" }` whose string, number or boolean result
// becomes the header text. Every expression of the step sees the record as it came into the
// step. Literal-only steps run synchronously and never parse the value.
import { showValue } from '@flotilla/errors';
import type { HeaderValue } from '../route-definition';
import type { RecordState } from '../record-state';
import { compileExpression, type Expression } from '../expression';
import { CONTINUE, fail, type CompiledStep, type StepResult } from './compiled-step';
import { evaluateOnRecord } from './evaluate-on-record';

interface ComputedHeader {
  readonly name: string;
  readonly expression: Expression;
}

export function compileHeadersStep(spec: {
  readonly set?: Readonly<Record<string, HeaderValue>>;
  readonly drop?: readonly string[];
}): CompiledStep {
  const drop = spec.drop ?? [];
  const literals: [string, string][] = [];
  const computed: ComputedHeader[] = [];
  for (const [name, value] of Object.entries(spec.set ?? {})) {
    if (typeof value === 'string') literals.push([name, value]);
    else computed.push({ name, expression: compileExpression(value.expression) });
  }

  const apply = (state: RecordState, results: readonly string[]): StepResult => {
    const headers = state.editHeaders();
    for (const name of drop) delete headers[name];
    for (const [name, value] of literals) headers[name] = value;
    computed.forEach(({ name }, i) => {
      headers[name] = results[i] as string;
    });
    return CONTINUE;
  };

  if (computed.length === 0) return { type: 'headers', run: (state) => apply(state, []) };
  return {
    type: 'headers',
    run: async (state) => {
      const results = await Promise.all(computed.map(({ expression }) => evaluateOnRecord(expression, state)));
      const texts: string[] = [];
      for (const [i, result] of results.entries()) {
        if (typeof result !== 'string' && typeof result !== 'number' && typeof result !== 'boolean') {
          return fail(`header "${computed[i]?.name}" expression gave ${showValue(result)}, expected a string, number or boolean`);
        }
        texts.push(String(result));
      }
      return apply(state, texts);
    },
  };
}
