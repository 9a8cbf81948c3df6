import { describe, expect, it } from 'vitest';
import { FixBatch, InputMessage, MAX_INPUT_BYTES } from '@egret/protocol';
import { parseInput } from './parse-input.ts';

const valid = {
  kind: 'case.report',
  caseId: 'C-1',
  category: { code: '04002', standard: 'GB/T 47678.5-2026' },
  source: 'hotline',
  lon: 118.09,
  lat: 24.46,
  at: 1,
};

describe(parseInput.name, () => {
  it('accepts a valid message and fills its defaults', () => {
    const r = parseInput(InputMessage, JSON.stringify(valid));
    expect(r).toMatchObject({ ok: true, value: { ...valid, urgency: 'normal', address: '' } });
  });

  it('refuses an entry without data', () => {
    expect(parseInput(InputMessage, undefined)).toMatchObject({ ok: false, reason: 'missing_data' });
  });

  it('refuses oversized data before trying to parse it', () => {
    const r = parseInput(InputMessage, `{"x":"${'a'.repeat(MAX_INPUT_BYTES)}"}`);
    expect(r).toMatchObject({ ok: false, reason: 'oversized' });
  });

  it('refuses data that is not JSON', () => {
    expect(parseInput(InputMessage, '{"kind": "case.report",')).toMatchObject({ ok: false, reason: 'invalid_json' });
  });

  it('names the bad field: a missing one, coordinates out of range, coordinates as strings', () => {
    const { caseId: _, ...noId } = valid;
    expect(parseInput(InputMessage, JSON.stringify(noId))).toMatchObject({
      ok: false,
      reason: 'schema',
      detail: expect.stringContaining('caseId:'),
    });
    expect(parseInput(InputMessage, JSON.stringify({ ...valid, lat: 95 }))).toMatchObject({
      reason: 'schema',
      detail: expect.stringMatching(/^lat: Too big/),
    });
    expect(parseInput(InputMessage, JSON.stringify({ ...valid, lon: '118.09' }))).toMatchObject({
      reason: 'schema',
      detail: expect.stringMatching(/^lon: .*string/),
    });
  });

  it('names array positions the way a reader expects', () => {
    const r = parseInput(
      FixBatch,
      JSON.stringify({
        fixes: [
          { unitId: 'U-1', lon: 118, lat: 24, at: 1 },
          { unitId: 'U-2', lon: 200, lat: 24, at: 1 },
        ],
      }),
    );
    expect(r).toMatchObject({
      ok: false,
      reason: 'schema',
      detail: expect.stringMatching(/^fixes\[1\]\.lon: Too big/),
    });
  });
});
