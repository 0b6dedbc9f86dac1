// drizzle-kit generates the SQL migrations in libs/db/migrations from the schema; it never
// applies them (that is `npm run db:migrate`). Run from the repository root:
//   npx drizzle-kit generate --config libs/db/drizzle.config.ts --name <what-changed>
// drizzle-kit resolves these paths against the working directory, hence the repo-root paths.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './libs/db/src/schema/index.ts',
  out: './libs/db/migrations',
  strict: true,
  verbose: true,
});
