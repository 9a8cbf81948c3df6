import { describe, expect, it } from 'vitest';
import { fixedLinkLabels, sameLabels } from './fixed-link-labels.ts';

const crossings = [
  {
    id: 'haicang-bridge',
    name: { zh: '海沧大桥', en: 'Haicang Bridge' },
    kind: 'bridge' as const,
    ends: [
      [118.088, 24.493],
      [118.048, 24.48],
    ] as [[number, number], [number, number]],
  },
  {
    id: 'xiangan-tunnel',
    name: { zh: '翔安隧道', en: 'Xiang’an Tunnel' },
    kind: 'tunnel' as const,
    ends: [
      [118.2, 24.5],
      [118.24, 24.54],
    ] as [[number, number], [number, number]],
  },
  { id: 'unknown-ends', name: { zh: '某桥', en: 'Some Bridge' } },
];

describe(fixedLinkLabels.name, () => {
  it('names each link with ends at the middle of its crossing, in the screen’s language', () => {
    const zh = fixedLinkLabels(crossings, (n) => n.zh);
    expect(zh.map((l) => [l.id, l.text, l.kind])).toEqual([
      ['haicang-bridge', '海沧大桥', 'bridge'],
      ['xiangan-tunnel', '翔安隧道', 'tunnel'],
    ]);
    expect(zh[0]!.position[0]).toBeCloseTo(118.068);
    expect(zh[0]!.position[1]).toBeCloseTo(24.4865);
    expect(fixedLinkLabels(crossings, (n) => n.en)[1]!.text).toBe('Xiang’an Tunnel');
    expect(fixedLinkLabels(undefined, (n) => n.zh)).toEqual([]);
  });

  it('tells the same labels from changed ones (a language switch)', () => {
    const a = fixedLinkLabels(crossings, (n) => n.zh);
    expect(
      sameLabels(
        a,
        fixedLinkLabels(crossings, (n) => n.zh),
      ),
    ).toBe(true);
    expect(
      sameLabels(
        a,
        fixedLinkLabels(crossings, (n) => n.en),
      ),
    ).toBe(false);
  });
});
