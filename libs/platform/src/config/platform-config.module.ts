import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig } from './app-config';
import { validateEnv } from './validate-env';

/**
 * Loads `.env` (the real environment wins), validates it, and provides AppConfig everywhere.
 * A method, not a static decorator argument, so that merely importing the lib validates nothing.
 */
@Module({})
export class PlatformConfigModule {
  static forRoot(): DynamicModule {
    return {
      module: PlatformConfigModule,
      global: true,
      imports: [ConfigModule.forRoot({ envFilePath: '.env', validate: validateEnv })],
      providers: [AppConfig],
      exports: [AppConfig],
    };
  }
}
