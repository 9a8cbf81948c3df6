import { describe, expect, it } from 'vitest';
import { chineseOrdinal, squadName } from './squad-names.ts';

const districts: Record<string, string> = { '350203': '思明区' };

describe(chineseOrdinal.name, () => {
  it('writes squad ordinals in Chinese', () => {
    expect([1, 4, 10, 12, 20, 23].map(chineseOrdinal)).toEqual(['一', '四', '十', '十二', '二十', '二十三']);
  });
});

describe(squadName.name, () => {
  it('reads a roster id as the squad of its district', () => {
    expect(squadName('SQ-350203-02', (c) => districts[c], 'zh')).toBe('思明二中队');
    expect(squadName('SQ-350203-02', () => 'Siming', 'en')).toBe('Siming 2');
  });

  it('shows any other id as it is', () => {
    expect(squadName('HL-ENF-01', (c) => districts[c], 'zh')).toBe('HL-ENF-01');
    expect(squadName('SQ-999999-01', (c) => districts[c], 'zh')).toBe('SQ-999999-01');
  });
});
