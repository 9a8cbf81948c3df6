import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedRedis } from '@egret/server/embedded-redis';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/** Starts one real redis-server for the test run (or uses TEST_REDIS_URL) and hands its URL to every test. */
export default async function setup(project: TestProject) {
  if (process.env.TEST_REDIS_URL) {
    project.provide('redisUrl', process.env.TEST_REDIS_URL);
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'egret-test-redis-'));
  const redis = await startEmbeddedRedis({ dataDir, persist: false, install: false });
  project.provide('redisUrl', redis.url);
  return async () => {
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
