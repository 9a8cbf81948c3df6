import { render } from '@testing-library/svelte';
import { siteCompliance, type Case, type Inspection, type Sensor } from '@egret/protocol';
import { describe, expect, it } from 'vitest';
import { I18n } from '../i18n/i18n.svelte.ts';
import SiteCompliance from './SiteCompliance.svelte';

const T0 = Date.UTC(2016, 8, 15, 0, 0, 0); // 08:00 in Xiamen
const HOUR = 3_600_000;
const site = (pointId: string, lat: number, o: Partial<Inspection> = {}): Inspection => ({
  id: `env.sites.1.${pointId}`,
  planId: 'env',
  actionId: 'sites',
  round: 1,
  pointId,
  kind: 'construction_site',
  position: [118.1, lat],
  district: '350203',
  squadId: 'SQ-SM',
  issuedAt: T0,
  due: T0 + 4 * HOUR,
  status: 'open',
  ...o,
});
const dust: Case = {
  id: 'K1',
  category: { code: '08004', standard: 'GB/T 47678.5-2026', name: '工地扬尘' },
  source: 'hotline',
  urgency: 'normal',
  position: [118.1, 24.5005],
  address: '',
  district: '350203',
  status: 'dispatched',
  reportedAt: T0,
  supervised: false,
  history: [],
  version: 0,
};
const alarm: Sensor = {
  id: 'N1',
  kind: 'noise',
  name: 'N1',
  district: '350203',
  position: [118.1, 24.52],
  unit: 'dB(A)',
  warning: 65,
  alarm: 75,
  level: 'alarm',
  alarmOnsets: [],
  casesRaised: 0,
  version: 0,
};

const panel = () => document.querySelector('[data-panel=sites]')!;

describe('SiteCompliance', () => {
  it('lists the sites out of compliance first with their problems, and counts every state', () => {
    const sites = siteCompliance({
      sites: [
        {
          id: 'CS-A',
          kind: 'construction_site',
          name: '中山路工地',
          position: [118.1, 24.5],
          district: '350203',
          approximate: true,
        },
      ],
      inspections: [
        site('CS-A', 24.5, { status: 'problem', checkedAt: T0 + HOUR, caseId: 'K1' }),
        site('CS-B', 24.52),
        site('CS-C', 24.54, { due: T0 + HOUR }),
        site('CS-D', 24.56, { status: 'passed', checkedAt: T0 + HOUR }),
      ],
      cases: new Map([[dust.id, dust]]),
      sensors: [alarm],
      now: T0 + 2 * HOUR,
    });
    render(SiteCompliance, { sites, i18n: new I18n('zh'), timeZone: 'Asia/Shanghai', districtName: () => '思明区' });
    const counts = (s: string) => panel().querySelector(`[data-count=${s}] b`)!.textContent;
    expect([counts('non_compliant'), counts('overdue'), counts('unchecked'), counts('compliant')]).toEqual([
      '2',
      '1',
      '0',
      '1',
    ]);
    const listed = [...panel().querySelectorAll('li')];
    expect(listed.map((li) => [li.getAttribute('data-site'), li.getAttribute('data-state')])).toEqual([
      ['CS-A', 'non_compliant'],
      ['CS-B', 'non_compliant'],
      ['CS-C', 'overdue'],
    ]);
    expect(listed[0]!.textContent).toMatch(/中山路工地.*扬尘 1.*09:00 发现问题/s);
    expect(listed[1]!.textContent).toContain('监测报警 1');
    expect(listed[2]!.textContent).toContain('超期未查');
    expect(panel().textContent).toContain('工地 4 处');
  });

  it('lists no site whose round is still in time, and says none is failing', () => {
    const fresh = siteCompliance({
      inspections: [site('CS-E', 24.58), site('CS-F', 24.6)],
      cases: new Map(),
      sensors: [],
      now: T0 + HOUR,
    });
    render(SiteCompliance, { sites: fresh, i18n: new I18n('zh'), timeZone: 'Asia/Shanghai', districtName: (c) => c });
    expect(panel().querySelectorAll('li')).toHaveLength(0);
    expect(panel().querySelector('[data-count=unchecked] b')!.textContent).toBe('2');
    expect(panel().textContent).toContain('暂无不达标、超期工地');
  });

  it('says every site is compliant when none is out, and nothing inspected yet when it has no site', () => {
    const ok = siteCompliance({
      inspections: [site('CS-D', 24.56, { status: 'passed', checkedAt: T0 + HOUR })],
      cases: new Map(),
      sensors: [],
      now: T0 + 2 * HOUR,
    });
    const { unmount } = render(SiteCompliance, {
      sites: ok,
      i18n: new I18n('en'),
      timeZone: 'Asia/Shanghai',
      districtName: (c) => c,
    });
    expect(panel().textContent).toContain('Every site compliant');
    unmount();
    render(SiteCompliance, { sites: [], i18n: new I18n('zh'), timeZone: 'Asia/Shanghai', districtName: (c) => c });
    expect(panel().textContent).toContain('尚无工地巡查');
  });
});
