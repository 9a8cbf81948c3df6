import { loadConfig, type EgretConfig } from '@egret/config';
import type { InspectionPoint, PlanDef } from '@egret/protocol';

/**
 * A config with the test's own command manual (independent of the checkout's config/plans): a typhoon plan whose
 * Ⅳ round walks `n` billboards daily spread over Siming and Huli, Ⅱ pre-positions two units at a muster point and tightens
 * 市容环境 deadlines, raised by the storm's signal (blue → Ⅳ, orange → Ⅱ).
 */
export function planConfig(n: number): EgretConfig {
  const base = loadConfig();
  const boards: InspectionPoint[] = Array.from({ length: n }, (_, i) => ({
    id: `BB-${String(i + 1).padStart(5, '0')}`,
    kind: 'billboard',
    name: `广告牌 ${i + 1}`,
    position: i % 2 ? [118.08 + (i % 97) * 0.0004, 24.45 + (i % 89) * 0.0003] : [118.1 + (i % 83) * 0.0004, 24.5],
    district: i % 2 ? '350203' : '350206',
    approximate: true,
  }));
  const muster: InspectionPoint[] = [
    { id: 'MU-1', kind: 'post', name: '集结点', position: [118.09, 24.46], district: '350203', approximate: true },
  ];
  const plan: PlanDef = {
    id: 'test-typhoon',
    name: '防台风预案（测试）',
    campaign: 'typhoon',
    mode: 'typhoon',
    version: 'test',
    levels: [
      {
        level: 'IV',
        name: '台风Ⅳ级应急响应',
        triggers: [{ kind: 'typhoon_signal', atLeast: 'blue' }],
        actions: [
          {
            kind: 'round',
            id: 'boards',
            name: '户外广告巡查',
            pointSet: 'test-boards',
            dueMinutes: 180,
            repeatMinutes: 1440,
            problem: { categoryCode: '08004', urgency: 'urgent', deadlineHours: 6 },
          },
        ],
      },
      {
        level: 'II',
        name: '台风Ⅱ级应急响应',
        triggers: [{ kind: 'typhoon_signal', atLeast: 'orange' }],
        actions: [
          {
            kind: 'preposition',
            id: 'muster',
            name: '集结',
            targets: [{ pointId: 'MU-1', units: 2 }],
            dueMinutes: 60,
          },
          {
            kind: 'deadlines',
            id: 'tight',
            name: '时限',
            categories: [{ code: '06', hours: 4 }],
            superviseOverdue: true,
          },
        ],
      },
    ],
  };
  return {
    ...base,
    plans: [plan],
    pointSets: new Map([
      ['test-boards', boards],
      ['test-muster', muster],
    ]),
  };
}
