import { DataSource, type EntitySchema } from 'typeorm';
import { runMigrations } from '@atelier/platform';
import { ALL_MIGRATIONS } from '@atelier/migrations';
import { TestEnvironment } from './test-environment';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type EntityClass = Function | EntitySchema<any>;

/** A fresh, migrated Postgres database with a DataSource over the given entities, for "medium" tests. */
export async function createTestDatabase(entities: EntityClass[]): Promise<{
  environment: TestEnvironment;
  dataSource: DataSource;
  destroy(): Promise<void>;
}> {
  const environment = new TestEnvironment();
  await environment.create();
  await runMigrations(environment.databaseUrl, ALL_MIGRATIONS);
  const dataSource = await new DataSource({ type: 'postgres', url: environment.databaseUrl, entities }).initialize();
  return {
    environment,
    dataSource,
    async destroy() {
      await dataSource.destroy();
      await environment.destroy();
    },
  };
}
