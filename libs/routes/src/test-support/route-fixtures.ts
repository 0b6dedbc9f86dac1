// Builders shared by the routes tests: a compiled route from steps alone, and records in
// KafkaJS's shapes.
import { compileRoute, type CompiledRoute } from '../compile-route';
import { parseRouteDefinition } from '../parse-route-definition';
import type { RouteRecord, StepOutcome } from '../route-record';

export function routeOf(steps: readonly unknown[], extra: Record<string, unknown> = {}): CompiledRoute {
  return compileRoute(parseRouteDefinition({ name: 'orders-eu', source: 'orders', destinations: [{ topic: 'orders-eu' }], steps, ...extra }));
}

export function jsonRecord(value: unknown, parts: Partial<RouteRecord> = {}): RouteRecord {
  return { key: null, value: Buffer.from(JSON.stringify(value)), headers: {}, timestamp: '1700000000000', ...parts };
}

export function bytesRecord(value: Buffer | string | null, parts: Partial<RouteRecord> = {}): RouteRecord {
  return { key: null, value: typeof value === 'string' ? Buffer.from(value) : value, headers: {}, timestamp: '1700000000000', ...parts };
}

/** The record that passed, or a test failure showing the outcome that came instead. */
export async function passed(outcome: StepOutcome | Promise<StepOutcome>): Promise<RouteRecord> {
  const settled = await outcome;
  if (settled.kind !== 'pass') throw new Error(`expected the record to pass, got ${JSON.stringify(settled)}`);
  return settled.record;
}

export async function passedValue(outcome: StepOutcome | Promise<StepOutcome>): Promise<unknown> {
  const record = await passed(outcome);
  return record.value === null ? null : (JSON.parse(record.value.toString()) as unknown);
}
