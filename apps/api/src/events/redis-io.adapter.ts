import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import { redisOptionsFromUrl, socketIoRedisKey } from '@atelier/platform';

/** Socket.IO over Redis pub/sub, so events from the worker (redis-emitter) and from other API instances arrive. */
export class RedisIoAdapter extends IoAdapter {
  private pub?: Redis;
  private sub?: Redis;

  constructor(
    app: INestApplicationContext,
    private readonly redisUrl: string,
    private readonly redisPrefix: string,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, { ...options, cors: { origin: true } } as ServerOptions) as Server;
    this.pub ??= new Redis(redisOptionsFromUrl(this.redisUrl));
    this.sub ??= this.pub.duplicate();
    for (const client of [this.pub, this.sub]) client.on('error', () => undefined);
    server.adapter(createAdapter(this.pub, this.sub, { key: socketIoRedisKey(this.redisPrefix) }));
    return server;
  }

  override async dispose(): Promise<void> {
    this.pub?.disconnect();
    this.sub?.disconnect();
  }
}
