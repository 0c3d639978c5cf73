import type { Redis } from 'ioredis';
import { redisKeys, type LiveEvent } from '@switchyard/core';

/** Tell dashboards (through the API's SSE stream) that something new arrived. */
export async function publishLiveEvent(redis: Redis, prefix: string, event: LiveEvent): Promise<void> {
  await redis.publish(redisKeys(prefix).eventsChannel, JSON.stringify(event));
}
