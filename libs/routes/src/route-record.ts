// A record as the router hands it to a route and gets it back: KafkaJS's message shapes, so the
// router passes consumed messages in and produces the result without conversion.

export type HeaderEntry = Buffer | string | (Buffer | string)[] | undefined;

export interface RouteRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, HeaderEntry>>;
  /** Milliseconds since the epoch, as KafkaJS gives and takes it; routes never change it. */
  readonly timestamp: string;
}

/**
 * What applying a route did to one record. `step` is the index in the route's steps; a keyed
 * route's missing key is reported at index `steps.length` with the step type `keyed`.
 */
export type StepOutcome =
  | { readonly kind: 'pass'; readonly record: RouteRecord }
  | { readonly kind: 'filtered'; readonly step: number }
  | { readonly kind: 'failed'; readonly step: number; readonly stepType: string; readonly error: string };
