#!/usr/bin/env node
// `npm test`: obtain what the tests need, run the linter and the formatter's check (`npm run lint`) beside every
// vitest project, and end with one plain line `vitest: N passed, M failed` that CI reads (vitest's own summary is
// not a line CI understands). A lint failure fails the run too; the tests still run, so one push shows both.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';

const deps = spawnSync(process.execPath, ['scripts/ensure-test-deps.mjs'], { stdio: 'inherit' });
if (deps.status !== 0) process.exit(deps.status ?? 1);

/** Runs a command; resolves with its exit status and, when `quiet`, what it printed (kept for after the tests). */
function run(cmd, args, { quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let out = '';
    child.stdout?.on('data', (b) => (out += b));
    child.stderr?.on('data', (b) => (out += b));
    child.on('error', (err) => resolve({ status: 1, out: `${out}${err.message}\n` }));
    child.on('close', (code, signal) => resolve({ status: code ?? (signal ? 1 : 0), out }));
  });
}

// Only on a whole run: `npm test -- e2e/wall.test.ts` runs just what it names. The lint runs at the same time as the
// tests (~40 s of one core, while the first test files mostly wait on Redis and sockets), its output held back so it
// does not interleave with vitest's and printed after it.
const lint =
  process.argv.length > 2 ? Promise.resolve({ status: 0, out: '' }) : run('npm', ['run', 'lint'], { quiet: true });

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
const tests = await run('npx', args);
const linted = await lint;
if (linted.out) process.stdout.write(`\n${linted.out}`);

let summary = 'vitest: no report written';
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  summary = `vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`;
}
if (linted.status !== 0) console.log('lint: failed (npm run lint says where; npm run format fixes the formatting)');
console.log(summary);
process.exit(linted.status !== 0 ? 1 : tests.status);
