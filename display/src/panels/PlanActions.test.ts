import { fireEvent, render } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { planProgress, type Inspection, type PlanActivation, type PlanDef } from '@egret/protocol';
import { T0 } from '../../test/fixtures.ts';
import { I18n } from '../i18n/i18n.svelte.ts';
import PlanActions from './PlanActions.svelte';

const HOUR = 3_600_000;
const DEF: PlanDef = {
  id: 'civ',
  name: '文明创建迎检预案',
  nameEn: 'Civilised City plan',
  campaign: 'civilised_city',
  mode: 'civilised_city',
  version: '2026',
  levels: [
    {
      level: 'IV',
      name: 'Ⅳ',
      triggers: [],
      actions: [
        {
          kind: 'round',
          id: 'assess',
          name: '测评点位巡查',
          nameEn: 'Assessment-site round',
          pointSet: 'assessment-points',
          dueMinutes: 60,
          problem: { categoryCode: '09006', urgency: 'normal', deadlineHours: 4 },
        },
      ],
    },
    { level: 'III', name: 'Ⅲ', triggers: [], actions: [] },
  ],
};
const ACTIVE: PlanActivation = {
  planId: 'civ',
  level: 'IV',
  activatedAt: T0,
  levelAt: T0,
  actor: { role: 'commander', id: 'c1' },
};
const insp = (point: string, squadId: string, status: Inspection['status'] = 'open'): Inspection => ({
  id: `civ.assess.1.${point}`,
  planId: 'civ',
  actionId: 'assess',
  round: 1,
  pointId: point,
  kind: 'assessment_point',
  position: [118.1, 24.5],
  district: '350203',
  squadId,
  issuedAt: T0,
  due: T0 + HOUR,
  status,
});

function props(over: Record<string, unknown> = {}) {
  return {
    defs: [DEF],
    plans: new Map<string, PlanActivation>(),
    progress: null,
    i18n: new I18n('zh'),
    timeZone: 'Asia/Shanghai',
    squadName: (id: string) => `中队${id}`,
    busy: () => false,
    refusal: null,
    onAsk: vi.fn(),
    onSupervise: vi.fn(),
    ...over,
  };
}

describe('PlanActions', () => {
  it('asks for a confirmation before activating a plan, and sends the level with the reason given', async () => {
    const p = props();
    const { container } = render(PlanActions, p);
    await fireEvent.click(container.querySelector('[data-plan-activate=III]')!);
    expect(p.onAsk).not.toHaveBeenCalled();
    const confirm = container.querySelector('[data-plan-confirm]')!;
    expect(confirm.textContent).toContain('确认启动 文明创建迎检预案 Ⅲ级响应');
    await fireEvent.input(confirm.querySelector('[data-plan-reason]')!, { target: { value: '  迎检  ' } });
    await fireEvent.submit(confirm);
    expect(p.onAsk).toHaveBeenCalledWith({ kind: 'activate', planId: 'civ', level: 'III' }, '迎检');
    expect(container.querySelector('[data-plan-confirm]')).toBeNull();
  });

  it('offers another level and 终止 for a plan in force, and sends no reason when none is given', async () => {
    const p = props({ plans: new Map([['civ', ACTIVE]]) });
    const { container } = render(PlanActions, p);
    expect(container.querySelector('[data-active-level=IV]')).not.toBeNull();
    expect(container.querySelector('[data-plan-activate=IV]')).toBeNull();
    expect(container.querySelector('[data-plan-activate=III]')!.textContent).toContain('调至');
    await fireEvent.click(container.querySelector('[data-plan-end]')!);
    await fireEvent.submit(container.querySelector('[data-plan-confirm]')!);
    expect(p.onAsk).toHaveBeenCalledWith({ kind: 'end', planId: 'civ' }, undefined);
  });

  it('lists the squads behind first with 督办, disabled for a squad with nothing overdue', async () => {
    const progress = planProgress({
      plan: DEF,
      activation: ACTIVE,
      inspections: [insp('A', 'SQ1', 'passed'), insp('B', 'SQ2'), insp('C', 'SQ2')],
      prepositions: [],
      units: [],
      now: T0 + 2 * HOUR,
    });
    const p = props({ plans: new Map([['civ', ACTIVE]]), progress });
    const { container } = render(PlanActions, p);
    const squads = [...container.querySelectorAll('[data-plan-action=assess] [data-squad]')];
    expect(squads.map((s) => s.getAttribute('data-squad'))).toEqual(['SQ2', 'SQ1']);
    expect(squads[0]!.textContent).toContain('超期 2');
    const [behind, done] = squads.map((s) => s.querySelector('button')!);
    expect(done!.disabled).toBe(true);
    await fireEvent.click(behind!);
    expect(p.onSupervise).toHaveBeenCalledWith('civ', 'assess', 'SQ2');
  });

  it('shows a refusal in words', () => {
    const { container } = render(
      PlanActions,
      props({ refusal: { title: '未执行：预案已处于该级别', detail: 'plan:activate · civ is at IV' } }),
    );
    expect(container.querySelector('[data-plan-refusal]')!.textContent).toContain('预案已处于该级别');
  });

  it('names the plan and its actions in English on an English console, and in the manual’s Chinese otherwise', async () => {
    const progress = planProgress({
      plan: DEF,
      activation: ACTIVE,
      inspections: [insp('A', 'SQ1')],
      prepositions: [],
      units: [],
      now: T0 + HOUR,
    });
    const en = render(PlanActions, props({ plans: new Map([['civ', ACTIVE]]), progress, i18n: new I18n('en') }));
    expect(en.container.textContent).toContain('Civilised City plan');
    expect(en.container.querySelector('[data-plan-action=assess]')!.textContent).toContain('Assessment-site round');
    expect(en.container.textContent).not.toContain('文明创建迎检预案');
    en.unmount();
    const zh = render(PlanActions, props({ plans: new Map([['civ', ACTIVE]]), progress }));
    expect(zh.container.textContent).toContain('文明创建迎检预案');
    expect(zh.container.querySelector('[data-plan-action=assess]')!.textContent).toContain('测评点位巡查');
  });
});
