import { describe, expect, it } from 'vitest';
import { hubAnswered, IntentKeys, randomKey, stableJson } from './commands.ts';

function counter() {
  let n = 0;
  return () => `key-${++n}`;
}

describe(IntentKeys.name, () => {
  it('gives a double click the same key, so the hub does it once', () => {
    const keys = new IntentKeys(counter());
    const payload = { caseId: 'C1', unitId: 'U1' };
    expect(keys.keyFor('dispatch:C1:U1', payload)).toBe('key-1');
    expect(keys.keyFor('dispatch:C1:U1', { unitId: 'U1', caseId: 'C1' })).toBe('key-1');
  });

  it('keeps the key after an attempt whose answer never came, so a retry cannot act twice', () => {
    const keys = new IntentKeys(counter());
    const key = keys.keyFor('dispatch:C1:U1', {});
    keys.settle('dispatch:C1:U1', { ok: false, error: 'timeout', message: 'no answer' });
    expect(keys.keyFor('dispatch:C1:U1', {})).toBe(key);
    keys.settle('dispatch:C1:U1', { ok: false, error: 'offline', message: 'down' });
    expect(keys.keyFor('dispatch:C1:U1', {})).toBe(key);
  });

  it('makes a new key once the hub has answered: the next click is a new action', () => {
    const keys = new IntentKeys(counter());
    const first = keys.keyFor('dispatch:C1:U1', {});
    keys.settle('dispatch:C1:U1', { ok: false, error: 'unit_busy', message: 'busy' });
    expect(keys.holds('dispatch:C1:U1')).toBe(false);
    const second = keys.keyFor('dispatch:C1:U1', {});
    expect(second).not.toBe(first);
    keys.settle('dispatch:C1:U1', { ok: true, data: { seq: 9 } });
    expect(keys.keyFor('dispatch:C1:U1', {})).not.toBe(second);
  });

  it('makes a new key when the request changed (the hub refuses a key reused for another request)', () => {
    const keys = new IntentKeys(counter());
    const a = keys.keyFor('recall:T1', { reason: 'a' });
    keys.settle('recall:T1', { ok: false, error: 'timeout', message: '' });
    expect(keys.keyFor('recall:T1', { reason: 'b' })).not.toBe(a);
  });

  it('keeps intents apart', () => {
    const keys = new IntentKeys(counter());
    expect(keys.keyFor('dispatch:C1:U1', {})).not.toBe(keys.keyFor('dispatch:C1:U2', {}));
  });
});

describe(hubAnswered.name, () => {
  it('counts receipts and refusals as answers, timeouts and a dead link as none', () => {
    expect(hubAnswered({ ok: true, data: 1 })).toBe(true);
    expect(hubAnswered({ ok: false, error: 'unit_busy', message: '' })).toBe(true);
    expect(hubAnswered({ ok: false, error: 'timeout', message: '' })).toBe(false);
    expect(hubAnswered({ ok: false, error: 'offline', message: '' })).toBe(false);
  });
});

describe(stableJson.name, () => {
  it('ignores key order at every depth', () => {
    expect(stableJson({ b: 1, a: { d: [1, 2], c: 'x' } })).toBe(stableJson({ a: { c: 'x', d: [1, 2] }, b: 1 }));
  });
});

describe(randomKey.name, () => {
  it('makes keys the hub accepts (1–128 printable ASCII) and never the same twice', () => {
    const a = randomKey();
    expect(a).toMatch(/^[\x21-\x7e]{1,128}$/);
    expect(randomKey()).not.toBe(a);
  });
});
