import { Global, Module } from '@nestjs/common';
import { RedisConnections } from './redis-connections';

/** The process's Redis connections (RedisConnections), for every module; import it once, in the app module. */
@Global()
@Module({
  providers: [RedisConnections],
  exports: [RedisConnections],
})
export class RedisModule {}
