// The shape of a validated route (issue #23): what the registry stores, management pushes and
// the router compiles. Input documents may leave out what has a default; these types have it.

/** Dotted path into a JSON object value: `customer.id`. */
export type FieldPath = string;

export interface FilterStep {
  /** JSONata predicate over `{ value, key, headers }`; must give true (keep) or false (drop). */
  readonly filter: string;
}

export type ProjectStep =
  | { readonly project: { readonly keep: readonly FieldPath[] } }
  | { readonly project: { readonly drop: readonly FieldPath[] } };

export interface RenameStep {
  /** Old path → new path, applied in the order written. */
  readonly rename: Readonly<Record<FieldPath, FieldPath>>;
}

/** A header's new value: a literal string, or a JSONata expression over `{ value, key, headers }`. */
export type HeaderValue = string | { readonly expression: string };

export interface HeadersStep {
  readonly headers: {
    readonly set?: Readonly<Record<string, HeaderValue>>;
    readonly drop?: readonly string[];
  };
}

export interface KeyStep {
  readonly key: { readonly field: FieldPath };
}

export interface ReshapeStep {
  /** JSONata expression over `{ value, key, headers }` whose result becomes the new value. */
  readonly reshape: string;
}

export type RouteStep = FilterStep | ProjectStep | RenameStep | HeadersStep | KeyStep | ReshapeStep;

export const STEP_TYPES = ['filter', 'project', 'rename', 'headers', 'key', 'reshape'] as const;
export type StepType = (typeof STEP_TYPES)[number];

export interface RouteDestination {
  readonly topic: string;
}

export interface RouteDefinition {
  readonly name: string;
  readonly source: string;
  /** Every destination with its topic resolved (an omitted topic is the source topic). */
  readonly destinations: readonly RouteDestination[];
  readonly steps: readonly RouteStep[];
  readonly keyed: boolean;
  readonly deadLetterTopic: string;
}

/** The type of a step, its one key. */
export function stepTypeOf(step: RouteStep): StepType {
  if ('filter' in step) return 'filter';
  if ('project' in step) return 'project';
  if ('rename' in step) return 'rename';
  if ('headers' in step) return 'headers';
  if ('key' in step) return 'key';
  return 'reshape';
}
