import { databaseCliEnv, runMigrations } from '@atelier/platform';
import { ALL_MIGRATIONS } from './index';

/** `npm run migration:run`: applies pending migrations under the same advisory lock as start-up. */
async function main(): Promise<void> {
  const env = databaseCliEnv();
  const applied = await runMigrations(String(env.DATABASE_URL), ALL_MIGRATIONS, console);
  console.log(applied.length ? `applied ${applied.length} migration(s)` : 'database is up to date');
}

main().catch((error: unknown) => {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
