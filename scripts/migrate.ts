// `npm run db:migrate`: applies pending migrations to DATABASE_URL (the app's start-up does the same).
import { MigrationError, migrate } from "../lib/db/migrate";
import { parseEnv } from "../lib/env";

try {
  const env = parseEnv();
  if (!env.DATABASE_URL) throw new Error("DATABASE_URL is not set. (`npm start` migrates its embedded database by itself.)");
  const { applied } = await migrate(env.DATABASE_URL, { log: (l) => console.log(l) });
  console.log(applied.length ? `applied ${applied.length} migration(s)` : "database schema is up to date");
} catch (e) {
  console.error(e instanceof MigrationError || e instanceof Error ? e.message : e);
  process.exit(1);
}
