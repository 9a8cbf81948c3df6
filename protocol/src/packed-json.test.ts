import { describe, expect, it } from 'vitest';
import { packJson, unpackJson, type PackedJson } from './packed-json.ts';

/** Through the wire as the hub sends it: JSON text both ways. */
const roundTrip = (v: unknown) => unpackJson(JSON.parse(JSON.stringify(packJson(JSON.parse(JSON.stringify(v))))));

const CASE = {
  id: 'TF1614-201609162046-3',
  category: { code: '06011', standard: 'GB/T 47678.5-2026', name: '积存垃圾渣土' },
  source: 'video_ai',
  urgency: 'urgent',
  position: [118.164464, 24.476959],
  address: '思明区 会展路 附近',
  district: '350203',
  status: 'rejected',
  reportedAt: 1474030100416,
  supervised: false,
  history: [
    { to: 'reported', at: 1474030100416, actor: { role: 'upstream', id: 'hotline' } },
    { to: 'rejected', at: 1474030280416, actor: { role: 'system', id: 'bench' }, note: null },
  ],
  version: 2,
};

describe(packJson.name, () => {
  it('gives back the same value, keys in the same order, for entities as the hub sends them', () => {
    const state = { t: 1, world: { seq: 9, cases: [CASE, { ...CASE, id: 'B', status: 'closed' }], units: [] } };
    const back = roundTrip(state);
    expect(back).toEqual(state);
    expect(JSON.stringify(back)).toBe(JSON.stringify(state));
  });

  it('keeps every kind of JSON value: nested and mixed arrays, empty ones, null, booleans, unicode, -1, floats', () => {
    for (const v of [
      null,
      0,
      -1.5e-7,
      true,
      '',
      '回放',
      [],
      {},
      [[], [[]], {}],
      [1, 'a', null, { b: [true, 'c'] }, [2, 'd']],
      { a: [{ x: 1 }, { x: 'one' }, { y: 2 }], '': '', 'k"ey\u0000': 'v\n' },
      { big: Number.MAX_SAFE_INTEGER, small: Number.MIN_SAFE_INTEGER },
    ]) {
      expect(roundTrip(v), JSON.stringify(v)).toEqual(v);
    }
  });

  it('keeps a key named __proto__ as an own property, as JSON.parse does, and pollutes no prototype', () => {
    const v = JSON.parse('{"__proto__":{"polluted":1},"a":1}') as Record<string, unknown>;
    const back = roundTrip(v) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(back, '__proto__')).toBe(true);
    expect(JSON.stringify(back)).toBe(JSON.stringify(v));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('writes each key list and each string once: many cases pack to a fraction of their JSON', () => {
    const cases = Array.from({ length: 2_000 }, (_, i) => ({ ...CASE, id: `C-${i}`, reportedAt: CASE.reportedAt + i }));
    const packed = packJson(cases);
    // The case, its category, a history step with and without a note, an actor: once each.
    expect(packed.shapes.length).toBe(5);
    expect(packed.strings.filter((s) => s === 'hotline')).toHaveLength(1);
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(cases).length / 2.5);
  });

  it('refuses an answer it cannot read: another version, a string or a shape it does not hold, a kind it does not know', () => {
    const good = packJson({ a: 'x' });
    expect(() => unpackJson({ ...good, v: 2 } as unknown as PackedJson)).toThrow(/version 2/);
    expect(() => unpackJson({ ...good, strings: [] })).toThrow(/no string 0/);
    expect(() => unpackJson({ ...good, shapes: [] })).toThrow(/no shape 0/);
    expect(() => unpackJson({ ...good, kind: 'x' } as unknown as PackedJson)).toThrow(/unknown kind x/);
  });
});
