// A printable name for where the data lives, for start-up logs and CLI output: it never
// contains the password a DATABASE_URL may carry.
import type { CreateDbOptions } from './create-db';

export function describeDatabase(options: CreateDbOptions): string {
  if (!('databaseUrl' in options)) return `PGlite at ${options.dataDir}`;
  try {
    const url = new URL(options.databaseUrl);
    const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
    return `PostgreSQL ${user}${url.host}${url.pathname}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL is not a valid URL)';
  }
}
