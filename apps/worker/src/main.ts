import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { AsyncMicroserviceOptions } from '@nestjs/microservices';
import { installProcessGuards, PrefixedRedisServer, RedisConnections } from '@atelier/platform';
import { Logger } from 'nestjs-pino';
import { WorkerHeartbeatPublisher } from './heartbeat/worker-heartbeat.publisher';
import { WorkerModule } from './worker.module';

installProcessGuards('worker');

async function bootstrap(): Promise<void> {
  // A Nest microservice: it takes the API's control messages (cancel, preload/unload, drain/resume)
  // over Redis, on channels prefixed with REDIS_PREFIX, through the process's own Redis connections.
  const app = await NestFactory.createMicroservice<AsyncMicroserviceOptions>(WorkerModule, {
    bufferLogs: true,
    inject: [RedisConnections],
    useFactory: (redis: RedisConnections) => ({ strategy: new PrefixedRedisServer(redis) }),
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen();
  // The first heartbeat may have gone out before the lanes were consumed: announce them before "ready".
  await app.get(WorkerHeartbeatPublisher).beat();
  // Printed whatever LOG_LEVEL is: the launcher and the tests wait for this line.
  process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), pid: process.pid, msg: 'Atelier worker ready' })}\n`);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
