import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import { AppConfig, RedisConnections, socketIoRedisKey } from '@atelier/platform';

/** Socket.IO over Redis pub/sub, so events from the worker (redis-emitter) and from other API instances arrive. */
export class RedisIoAdapter extends IoAdapter {
  private pub?: Redis;
  private sub?: Redis;

  constructor(
    app: INestApplicationContext,
    private readonly redis: RedisConnections,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    // maxHttpBufferSize: a bigger message (or polling body) closes the sender's connection, not the server.
    const server = super.createIOServer(port, { ...options, cors: { origin: true }, maxHttpBufferSize: this.config.socketMaxMessageBytes } as ServerOptions) as Server;
    // Connections of their own: the adapter subscribes, and queues its publishes while Redis is back soon.
    this.pub ??= this.redis.dedicated('socket.io-pub');
    this.sub ??= this.redis.dedicated('socket.io-sub');
    server.adapter(createAdapter(this.pub, this.sub, { key: socketIoRedisKey(this.redis.prefix) }));
    return server;
  }

  override async dispose(): Promise<void> {
    this.pub?.disconnect();
    this.sub?.disconnect();
  }
}
