import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

/**
 * A directory of its own under the system's temp folder, removed when the test that made it ends, or — made in a
 * file's or a describe's body — when its tests are done; else when the process exits. A suite run many times a day
 * must not leave its folders behind.
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    onTestFinished(remove); // inside a test
  } catch {
    try {
      afterAll(remove); // while a file collects its tests
    } catch {
      process.once('exit', remove);
    }
  }
  return dir;
}
