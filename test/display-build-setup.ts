import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the display build's outcome is written: `ok`, or what the failed build printed (e2e/support/display-build.ts). */
    displayBuildStatus: string;
  }
}

/** The display workspace. */
const DISPLAY_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../display');

/**
 * Builds the display for the end-to-end tests, so the hub serves the code under test rather than whatever
 * `display/dist` happened to hold. The build (~20 s of CPU) runs in a process of its own while the first group of test
 * files runs — those mostly wait on Redis, sockets and processes — instead of before any test starts; a test that
 * opens a browser waits for it (e2e/support/display-build.ts) and fails with the build's own message if it failed.
 * EGRET_E2E_DISPLAY_DIR builds elsewhere (e2e/support/hub.ts serves it from there): a second run on the same checkout
 * then does not rewrite the pages the first one is serving.
 */
export default function setup(project: TestProject): () => Promise<void> {
  const statusDir = mkdtempSync(join(tmpdir(), 'egret-display-build-'));
  const status = join(statusDir, 'status');
  const outDir = process.env.EGRET_E2E_DISPLAY_DIR;
  const vite = join(
    dirname(createRequire(join(DISPLAY_DIR, 'package.json')).resolve('vite/package.json')),
    'bin/vite.js',
  );
  const child = spawn(
    process.execPath,
    [vite, 'build', '--logLevel', 'error', ...(outDir ? ['--outDir', resolve(outDir), '--emptyOutDir'] : [])],
    { cwd: DISPLAY_DIR, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let printed = '';
  const keep = (b: Buffer) => (printed = (printed + b.toString()).slice(-20_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const ended = new Promise<void>((done) => {
    child.once('error', (err) => {
      writeFileSync(status, `the display build did not start: ${err.message}`);
      done();
    });
    child.once('close', (code, signal) => {
      writeFileSync(status, code === 0 ? 'ok' : `the display build failed (${signal ?? `exit ${code}`}):\n${printed}`);
      done();
    });
  });
  project.provide('displayBuildStatus', status);
  return async () => {
    // A run that ends first (a filter that left no browser test) does not leave the build behind.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await ended;
    rmSync(statusDir, { recursive: true, force: true });
  };
}
