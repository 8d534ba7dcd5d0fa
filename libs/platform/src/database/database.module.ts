import { DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { MigrationInterface } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { runMigrations } from './run-migrations';

export interface DatabaseModuleOptions {
  /** The migrations to apply (under the advisory lock) before the pool opens. */
  migrations: Array<new () => MigrationInterface>;
}

/** One TypeORM DataSource per process; each module registers its own entities with forFeature. */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: async (config: AppConfig) => {
            const logger = new Logger('Migrations');
            await runMigrations(config.databaseUrl, options.migrations, logger);
            return {
              type: 'postgres' as const,
              url: config.databaseUrl,
              autoLoadEntities: true,
              synchronize: false,
              // Fail fast when Postgres is down so requests get a 503, not a hang.
              extra: { max: 10, connectionTimeoutMillis: 3000, query_timeout: 15000 },
              retryAttempts: 3,
              retryDelay: 1000,
            };
          },
        }),
      ],
      exports: [TypeOrmModule],
    };
  }
}
