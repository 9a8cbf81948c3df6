import { randomBytes } from 'node:crypto';

/** A fresh key namespace per test, so tests share one Redis without seeing each other's keys. */
export function testNamespace(label = 't'): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}
