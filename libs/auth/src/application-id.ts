// Application ids: what logs, ACLs, heartbeats and policies name. The same rule as the registry's
// check constraint, so an id the engine accepts can always be stored and vice versa.
import { z } from 'zod';

export const APPLICATION_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export const APPLICATION_ID_EXPECTATION =
  'an application id of 1–63 characters of a-z 0-9 . _ -, starting with a letter or digit';

export function isApplicationId(value: string): boolean {
  return APPLICATION_ID_PATTERN.test(value);
}

export const applicationIdSchema = z.string().regex(APPLICATION_ID_PATTERN, `expected ${APPLICATION_ID_EXPECTATION}`);
