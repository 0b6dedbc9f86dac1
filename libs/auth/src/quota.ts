// Per-application rate limits (ARCHITECTURE.md §6): bytes and requests per second. A missing or
// null limit means "no limit" on that axis, as in the registry.
import { parseInput, strictObject } from '@flotilla/errors';
import { z } from 'zod';
import { applicationIdSchema } from './application-id';

const LIMIT_EXPECTATION = 'expected a positive integer or null (no limit)';
/** One limit: a positive whole number per second, or null for no limit on that axis. */
export const quotaLimitSchema = z
  .number({ error: LIMIT_EXPECTATION })
  .int({ error: LIMIT_EXPECTATION })
  .positive({ error: LIMIT_EXPECTATION })
  .nullable();

const quotaShape = {
  application: applicationIdSchema,
  bytesPerSecond: quotaLimitSchema.exactOptional(),
  requestsPerSecond: quotaLimitSchema.exactOptional(),
};

/** A quota as a caller submits it; unknown keys are rejected. */
export const quotaInputSchema = strictObject(quotaShape);

// Stored rows carry more (updatedAt); the limiter only needs the three fields.
const storedQuotaSchema = z.object(quotaShape);

export type QuotaInput = z.infer<typeof quotaInputSchema>;

export interface Quota {
  readonly application: string;
  readonly bytesPerSecond?: number | null;
  readonly requestsPerSecond?: number | null;
}

/** Validates one quota input; throws a ValidationError whose `field` names the first bad field. */
export function parseQuota(input: unknown): QuotaInput {
  return parseInput(quotaInputSchema, input, 'quota');
}

/** Checks an already-typed quota (e.g. a registry row); `at` locates it in the caller's input. */
export function checkQuota(quota: Quota, at?: string): void {
  parseInput(storedQuotaSchema, quota, 'quota', at);
}
