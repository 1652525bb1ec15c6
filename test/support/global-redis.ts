import type { TestProject } from 'vitest/node';
import { type RunningRedisServer, startRedisServer } from '../../src/dev/start-redis-server.js';

// Integration tests import freePort from here; the one implementation lives next to startRedisServer.
export { freePort } from '../../src/dev/start-redis-server.js';

let server: RunningRedisServer | undefined;

/**
 * Starts a private, memory-only redis-server for this test run and publishes its URL as
 * `provide('redisUrl')`. Tests isolate themselves with unique key prefixes and queue names.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  server = await startRedisServer();
  project.provide('redisUrl', server.url);
  return async () => {
    await server?.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
