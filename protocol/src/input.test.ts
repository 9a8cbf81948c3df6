import { describe, expect, it } from 'vitest';
import { Fix, FixBatch, InputMessage, MAX_INPUT_BYTES } from './input.ts';

const AT = 1_473_868_800_000;

/** One valid message of every kind, as an upstream system would XADD it (after JSON.parse of `data`). */
const VALID = {
  'case.report': {
    kind: 'case.report',
    caseId: 'HL-2016-000123',
    category: { code: '04002', standard: 'GB/T 47678.5-2026' },
    source: 'hotline',
    lon: 118.09,
    lat: 24.48,
    at: AT,
  },
  'case.transition': {
    kind: 'case.transition',
    caseId: 'HL-2016-000123',
    to: 'accepted',
    actor: { role: 'upstream', id: 'case-system' },
    at: AT,
  },
  'unit.register': {
    kind: 'unit.register',
    unitId: 'SM-01-03',
    name: '思明一中队3号',
    type: 'enforcement',
    squadId: 'SM-01',
    district: '350203',
    at: AT,
  },
  'unit.status': { kind: 'unit.status', unitId: 'SM-01-03', status: 'off_duty', at: AT },
  'task.update': {
    kind: 'task.update',
    taskId: 'T-77',
    unitId: 'SM-01-03',
    status: 'declined',
    reason: '车辆故障',
    at: AT,
  },
  'clock.set': {
    kind: 'clock.set',
    clock: { baseReal: AT, baseWorld: AT - 86_400_000, rate: 60, scenario: 'meranti' },
    at: AT,
  },
} as const;

/** The first issue's path and code for an input the schema must refuse. */
function refusal(input: unknown) {
  const r = InputMessage.safeParse(input);
  expect(r.success).toBe(false);
  return r.error!.issues.map((i) => ({ path: i.path, code: i.code }));
}

describe('InputMessage', () => {
  it.each(Object.entries(VALID))('accepts a %s message', (kind, msg) => {
    const r = InputMessage.safeParse(msg);
    expect(r.error).toBeUndefined();
    expect(r.data).toMatchObject(msg);
    expect(r.data!.kind).toBe(kind);
  });

  it('fills in the documented defaults', () => {
    expect(InputMessage.parse(VALID['case.report'])).toMatchObject({ urgency: 'normal', address: '' });
    expect(InputMessage.parse(VALID['unit.register'])).toMatchObject({ status: 'available' });
  });

  it('refuses an unknown kind, pointing at the kind', () => {
    expect(refusal({ ...VALID['unit.status'], kind: 'case.delete' })).toEqual([
      { path: ['kind'], code: 'invalid_union' },
    ]);
    expect(refusal({ unitId: 'x' })).toEqual([{ path: ['kind'], code: 'invalid_union' }]);
    expect(refusal(null)).toHaveLength(1);
    expect(refusal('case.report')).toHaveLength(1);
  });

  it.each([
    ['lon', 180.0001],
    ['lon', -181],
    ['lat', 90.5],
    ['lat', -90.0001],
    ['lon', Number.POSITIVE_INFINITY],
    ['lat', Number.NaN],
  ])('refuses a report with %s = %s, naming the field', (field, value) => {
    expect(refusal({ ...VALID['case.report'], [field]: value })).toEqual([{ path: [field], code: expect.any(String) }]);
  });

  it('takes the edges of the world as coordinates', () => {
    expect(InputMessage.safeParse({ ...VALID['case.report'], lon: -180, lat: 90 }).success).toBe(true);
  });

  it('refuses numbers sent as strings, naming each field', () => {
    const issues = refusal({ ...VALID['case.report'], lat: '24.48', at: String(AT) });
    expect(issues).toEqual([
      { path: ['lat'], code: 'invalid_type' },
      { path: ['at'], code: 'invalid_type' },
    ]);
  });

  it.each([
    ['a negative time', { ...VALID['unit.status'], at: -1 }, ['at']],
    ['a fractional time', { ...VALID['unit.status'], at: AT + 0.5 }, ['at']],
    ['an id with a space', { ...VALID['unit.status'], unitId: 'SM 01' }, ['unitId']],
    ['an empty id', { ...VALID['unit.status'], unitId: '' }, ['unitId']],
    ['an unknown status', { ...VALID['unit.status'], status: 'asleep' }, ['status']],
    ['a district that is not a GB/T 2260 code', { ...VALID['unit.register'], district: '3502' }, ['district']],
    [
      'an unknown category standard',
      { ...VALID['case.report'], category: { code: '04002', standard: 'ISO' } },
      ['category', 'standard'],
    ],
    [
      'a category code with a dash',
      { ...VALID['case.report'], category: { code: '04-002', standard: 'local' } },
      ['category', 'code'],
    ],
    [
      'an actor with an unknown role',
      { ...VALID['case.transition'], actor: { role: 'mayor', id: 'x' } },
      ['actor', 'role'],
    ],
    [
      'a clock running backwards',
      { ...VALID['clock.set'], clock: { ...VALID['clock.set'].clock, rate: -1 } },
      ['clock', 'rate'],
    ],
    ['a description over 2000 characters', { ...VALID['case.report'], description: 'x'.repeat(2001) }, ['description']],
  ])('refuses %s, with the path to it', (_, input, path) => {
    expect(refusal(input).map((i) => i.path)).toEqual([path]);
  });

  it('keeps its size limit sane', () => {
    expect(JSON.stringify(VALID['case.report']).length).toBeLessThan(MAX_INPUT_BYTES);
  });
});

describe('FixBatch', () => {
  const fix = { unitId: 'SM-01-03', lon: 118.1, lat: 24.5, at: AT };

  it('accepts a batch of fixes', () => {
    expect(FixBatch.parse({ fixes: [fix, { ...fix, unitId: 'SM-01-04' }] }).fixes).toHaveLength(2);
    expect(Fix.safeParse(fix).success).toBe(true);
  });

  it('refuses a bad fix with its index in the path', () => {
    const r = FixBatch.safeParse({ fixes: [fix, { ...fix, lat: 95 }, { ...fix, lon: '118.1' }] });
    expect(r.error!.issues.map((i) => i.path)).toEqual([
      ['fixes', 1, 'lat'],
      ['fixes', 2, 'lon'],
    ]);
  });

  it('refuses an empty batch and one over 5,000 fixes', () => {
    expect(FixBatch.safeParse({ fixes: [] }).error!.issues[0]!.path).toEqual(['fixes']);
    expect(FixBatch.safeParse({ fixes: Array.from({ length: 5_001 }, () => fix) }).success).toBe(false);
    expect(FixBatch.safeParse({ fixes: Array.from({ length: 5_000 }, () => fix) }).success).toBe(true);
  });
});
