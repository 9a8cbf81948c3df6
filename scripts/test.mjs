#!/usr/bin/env node
// `npm test`: obtain what the tests need, run the linter and the formatter's check (`npm run lint`), run every
// vitest project, and end with one plain line `vitest: N passed, M failed` that CI reads (vitest's own summary is
// not a line CI understands). A lint failure fails the run too; the tests still run, so one push shows both.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';

const deps = spawnSync(process.execPath, ['scripts/ensure-test-deps.mjs'], { stdio: 'inherit' });
if (deps.status !== 0) process.exit(deps.status ?? 1);

// Only on a whole run: `npm test -- e2e/wall.test.ts` runs just what it names.
const lint = process.argv.length > 2 ? { status: 0 } : spawnSync('npm', ['run', 'lint'], { stdio: 'inherit' });

mkdirSync('artifacts', { recursive: true });
const report = 'artifacts/vitest-report.json';
rmSync(report, { force: true });
const args = [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
];
const run = spawnSync('npx', args, { stdio: 'inherit' });

let summary = 'vitest: no report written';
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  summary = `vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`;
}
if (lint.status !== 0) console.log('lint: failed (npm run lint says where; npm run format fixes the formatting)');
console.log(summary);
process.exit(lint.status !== 0 ? 1 : (run.status ?? 1));
