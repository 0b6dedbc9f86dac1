// Input checks shared by every function here: a bad number gets an error naming the field, the
// value and what was expected, never a NaN flowing into a placement decision.
import { ValidationError } from '@flotilla/errors';

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

export function requirePositiveInteger(field: string, value: number): number {
  if (!(Number.isSafeInteger(value) && value > 0)) {
    throw new ValidationError(`${field}: expected a positive integer, got ${show(value)}`, { field });
  }
  return value;
}

export function requireNonNegativeInteger(field: string, value: number): number {
  if (!(Number.isSafeInteger(value) && value >= 0)) {
    throw new ValidationError(`${field}: expected a non-negative integer, got ${show(value)}`, { field });
  }
  return value;
}

export function requireNonNegativeNumber(field: string, value: number): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
    throw new ValidationError(`${field}: expected a finite number ≥ 0, got ${show(value)}`, { field });
  }
  return value;
}
