import { type DynamicModule, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { JobQueue } from './job-queue.service.js';
import { RedisStore } from './redis-store.service.js';
import { QUEUES, retryDelayMs } from './queues.js';

export interface QueueModuleOptions {
  readonly redisUrl: string;
  readonly prefix: string;
}

/** Bull behind one small module: the rest of the code uses JobQueue and queue.decorators. */
@Module({})
export class QueueModule {
  static forRoot(options: QueueModuleOptions): DynamicModule {
    const queues = BullModule.registerQueue(...Object.values(QUEUES).map((name) => ({ name })));
    return {
      module: QueueModule,
      global: true,
      imports: [
        BullModule.forRoot({
          url: options.redisUrl,
          prefix: options.prefix,
          settings: { backoffStrategies: { connector: retryDelayMs } },
        }),
        queues,
      ],
      providers: [JobQueue, RedisStore],
      exports: [JobQueue, RedisStore, queues],
    };
  }
}
