import { describe, expect, it } from 'vitest';
import { findCategory, searchCategories, type CategoryEntry } from './categories.ts';

const entry = (code: string, standard: CategoryEntry['standard'], zh: string, en: string): CategoryEntry => ({
  code,
  standard,
  kind: 'matter',
  name: { zh, en },
  group: 'municipal',
});
const ENTRIES = [
  entry('01001', 'GB/T 47678.5-2026', '供水井盖异常', 'Water-supply manhole cover fault'),
  entry('0101', 'GB/T 30428', '上水井盖', 'Water manhole cover'),
  entry('02003', 'GB/T 47678.5-2026', '暴露垃圾', 'Exposed rubbish'),
];

describe(searchCategories.name, () => {
  it('finds by a word of either language across both standards, the national standard first', () => {
    expect(searchCategories(ENTRIES, '井盖').map((e) => e.code)).toEqual(['01001', '0101']);
    expect(searchCategories(ENTRIES, 'MANHOLE').map((e) => e.standard)).toEqual(['GB/T 47678.5-2026', 'GB/T 30428']);
  });

  it('puts an exact code before a code prefix', () => {
    const more = [...ENTRIES, entry('01011', 'GB/T 47678.5-2026', '雨水井盖', 'Storm drain cover')];
    expect(searchCategories(more, '0101').map((e) => e.code)).toEqual(['0101', '01011']);
    expect(searchCategories(more, '010').map((e) => e.code)).toEqual(['01001', '01011', '0101']);
  });

  it('lists everything for an empty query, up to the limit', () => {
    expect(searchCategories(ENTRIES, '  ', 2)).toHaveLength(2);
    expect(searchCategories(ENTRIES, 'no such thing')).toEqual([]);
  });
});

describe(findCategory.name, () => {
  it('matches the standard as well as the code', () => {
    expect(findCategory(ENTRIES, { code: '0101', standard: 'GB/T 30428' })?.name.zh).toBe('上水井盖');
    expect(findCategory(ENTRIES, { code: '0101', standard: 'local' })).toBeUndefined();
  });
});
