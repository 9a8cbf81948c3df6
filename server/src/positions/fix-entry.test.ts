import { describe, expect, it } from 'vitest';
import { MAX_INPUT_BYTES } from '@egret/protocol';
import { readFixEntry } from './fix-entry.ts';

const fix = { unitId: 'u-1', lon: 118.1, lat: 24.5, at: 1_700_000_000_000 };

describe(readFixEntry.name, () => {
  it('reads a batch of fixes from the data field', () => {
    expect(readFixEntry({ data: JSON.stringify({ fixes: [fix] }) })).toEqual({ ok: true, batch: { fixes: [fix] } });
  });

  it('refuses an entry without data and names the fields it had', () => {
    const v = readFixEntry({ payload: '{}' });
    expect(v).toMatchObject({ ok: false, reason: 'missing_data' });
    expect(!v.ok && v.detail).toContain('payload');
  });

  it('refuses data larger than the input limit without parsing it', () => {
    const data = JSON.stringify({ fixes: [fix], pad: 'x'.repeat(MAX_INPUT_BYTES) });
    expect(readFixEntry({ data })).toMatchObject({ ok: false, reason: 'oversized' });
  });

  it('refuses data that is not JSON', () => {
    expect(readFixEntry({ data: '{"fixes": [' })).toMatchObject({ ok: false, reason: 'invalid_json' });
  });

  it('refuses a batch off the schema and names the bad field', () => {
    const v = readFixEntry({ data: JSON.stringify({ fixes: [fix, { ...fix, lat: 123 }] }) });
    expect(v).toMatchObject({ ok: false, reason: 'schema' });
    expect(!v.ok && v.detail).toContain('fixes[1].lat');
  });

  it('refuses an empty batch', () => {
    expect(readFixEntry({ data: JSON.stringify({ fixes: [] }) })).toMatchObject({ ok: false, reason: 'schema' });
  });
});
