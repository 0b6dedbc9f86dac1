// Check constraints are stored as SQL text in the migration, so the allowed values are inlined
// rather than bound; they are our own constants, never input.
import { sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';

export const oneOf = (values: readonly string[]): SQL => sql.raw(values.map((value) => `'${value}'`).join(', '));
