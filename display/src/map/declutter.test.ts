import { describe, expect, it } from 'vitest';
import { declutter, textBox } from './declutter.ts';

describe(textBox.name, () => {
  it('takes a CJK character as a square and a Latin letter as about 0.6 em', () => {
    expect(textBox('海沧大桥', 100, 50, 20)).toEqual({ x: 100, y: 50, width: 80, height: 24 });
    expect(textBox('Jimei', 0, 0, 20).width).toBeCloseTo(60);
  });
});

describe(declutter.name, () => {
  const at = (x: number, y: number) => textBox('厦门大桥', x, y, 20); // 80 × 24 px

  it('shows every label that has room', () => {
    expect(declutter([at(0, 0), at(200, 0), at(0, 100)], [])).toEqual([true, true, true]);
  });

  it('keeps the first of two labels that overlap, and drops only the one in the way', () => {
    expect(declutter([at(0, 0), at(40, 10), at(200, 0)], [])).toEqual([true, false, true]);
    // A dropped label takes no room: the third overlaps only the dropped second.
    expect(declutter([at(0, 0), at(70, 0), at(140, 0)], [])).toEqual([true, false, true]);
  });

  it('gives way to the fixed boxes (the district names), within the margin', () => {
    const district = textBox('湖里区', 0, 30, 30); // 90 × 36 px, from y 12 to 48: it touches the label (y −12 to 12)
    expect(declutter([at(0, 0)], [district], 0)).toEqual([true]);
    expect(declutter([at(0, 0)], [district], 4)).toEqual([false]);
    expect(declutter([at(0, 0), at(0, -60)], [district])).toEqual([false, true]);
  });

  it('drops a label whose place is not on the screen', () => {
    expect(declutter([at(Number.NaN, 0), at(0, 0)], [])).toEqual([false, true]);
  });
});
