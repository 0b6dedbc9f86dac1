// A route compiled once (its JSONata expressions parsed, its paths split) and applied to every
// record. `apply` never throws and never rejects: whatever goes wrong with a record is a failed
// step, which the router sends to the dead-letter topic. It answers synchronously unless a step
// that evaluates JSONata (whose evaluator is asynchronous) is reached.
import { ValidationError } from '@flotilla/errors';
import { formatPath } from '@flotilla/mapping';
import { boundText } from './bound-text';
import { describeThrown, expressionProblem } from './expression';
import { RecordState } from './record-state';
import { stepTypeOf, type RouteDefinition, type RouteStep } from './route-definition';
import type { RouteRecord, StepOutcome } from './route-record';
import type { CompiledStep, StepResult } from './steps/compiled-step';
import { compileFilterStep } from './steps/filter-step';
import { compileHeadersStep } from './steps/headers-step';
import { compileKeyStep } from './steps/key-step';
import { compileProjectStep } from './steps/project-step';
import { compileRenameStep } from './steps/rename-step';
import { compileReshapeStep } from './steps/reshape-step';

/** The step type of a keyed route's check that a record has a key once the steps have run. */
export const KEYED_STEP_TYPE = 'keyed';
/** Errors in outcomes are cut to this many characters: a JSONata message may quote a whole value. */
export const MAX_STEP_ERROR_LENGTH = 1_000;

export interface CompiledRoute {
  readonly definition: RouteDefinition;
  /** Runs the steps on one record; a Promise only when a JSONata step is reached. */
  apply(record: RouteRecord): StepOutcome | Promise<StepOutcome>;
}

/** Compiles a definition from `parseRouteDefinition`; throws ValidationError for a bad expression. */
export function compileRoute(definition: RouteDefinition): CompiledRoute {
  const steps = definition.steps.map((step, i) => compileStep(definition.name, step, i));
  const keyedIndex = steps.length;

  const finish = (state: RecordState): StepOutcome => {
    if (definition.keyed && state.key === null) {
      return failed(keyedIndex, KEYED_STEP_TYPE, 'the route is keyed and the record has no key after its steps');
    }
    try {
      return { kind: 'pass', record: state.toRecord() };
    } catch (thrown) {
      const writer = lastValueWriter(definition.steps);
      return failed(writer, stepTypeOf(definition.steps[writer] as RouteStep), describeThrown(thrown));
    }
  };

  // Runs steps from `from` on; returns synchronously until a step answers with a Promise.
  const run = (state: RecordState, from: number): StepOutcome | Promise<StepOutcome> => {
    for (let i = from; i < steps.length; i++) {
      const step = steps[i] as CompiledStep;
      let result: StepResult | Promise<StepResult>;
      try {
        result = step.run(state);
      } catch (thrown) {
        return failed(i, step.type, describeThrown(thrown));
      }
      if (result instanceof Promise) {
        return result.then(
          (settled) => (settled.kind === 'continue' ? run(state, i + 1) : outcomeOf(settled, i, step)),
          (thrown: unknown) => failed(i, step.type, describeThrown(thrown)),
        );
      }
      if (result.kind !== 'continue') return outcomeOf(result, i, step);
    }
    return finish(state);
  };

  if (steps.length === 0 && !definition.keyed) {
    // The plain copy route: the record goes out exactly as it came in.
    return { definition, apply: (record) => ({ kind: 'pass', record }) };
  }
  return { definition, apply: (record) => run(new RecordState(record), 0) };
}

function compileStep(route: string, step: RouteStep, index: number): CompiledStep {
  if ('filter' in step) return compileFilterStep(checked(route, step.filter, index, 'filter'));
  if ('project' in step) return compileProjectStep(step.project);
  if ('rename' in step) return compileRenameStep(step.rename);
  if ('headers' in step) {
    for (const [name, value] of Object.entries(step.headers.set ?? {})) {
      if (typeof value !== 'string') checked(route, value.expression, index, 'headers', 'set', name, 'expression');
    }
    return compileHeadersStep(step.headers);
  }
  if ('key' in step) return compileKeyStep(step.key);
  return compileReshapeStep(checked(route, step.reshape, index, 'reshape'));
}

/** `source` when it compiles; otherwise the same ValidationError parsing the definition gives. */
function checked(route: string, source: string, index: number, ...path: string[]): string {
  const problem = expressionProblem(source);
  if (problem === undefined) return source;
  const where = formatPath(['steps', index, ...path]);
  throw new ValidationError(`invalid route "${route}": ${where}: ${problem}`, { field: ['steps', index, ...path].join('.') });
}

function outcomeOf(result: Exclude<StepResult, { kind: 'continue' }>, step: number, compiled: CompiledStep): StepOutcome {
  return result.kind === 'drop' ? { kind: 'filtered', step } : failed(step, compiled.type, result.error);
}

function failed(step: number, stepType: string, error: string): StepOutcome {
  return { kind: 'failed', step, stepType, error: boundText(error, MAX_STEP_ERROR_LENGTH) };
}

/** The last step that rewrites the value: where a value that cannot be written back went wrong. */
function lastValueWriter(steps: readonly RouteStep[]): number {
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i] as RouteStep;
    if ('project' in step || 'rename' in step || 'reshape' in step) return i;
  }
  return Math.max(0, steps.length - 1);
}
