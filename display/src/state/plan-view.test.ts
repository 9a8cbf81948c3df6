import { describe, expect, it } from 'vitest';
import type { PlanActivation, PlanDef } from '@egret/protocol';
import { translate, type MessageKey, type MessageParams } from '../i18n/translate.ts';
import { T0 } from '../../test/fixtures.ts';
import { causeWords, planAnnouncements, planCause, planIntent, shownPlan } from './plan-view.ts';

const MIN = 60_000;
const def = (id: string, mode: PlanDef['mode']): PlanDef => ({
  id,
  name: id,
  campaign: 'typhoon',
  mode,
  version: '2026',
  levels: [{ level: 'IV', name: 'Ⅳ', triggers: [], actions: [] }],
});
const act = (planId: string, over: Partial<PlanActivation> = {}): PlanActivation => ({
  planId,
  level: 'II',
  activatedAt: T0,
  levelAt: T0,
  actor: { role: 'commander', id: 'c1' },
  ...over,
});

describe(shownPlan.name, () => {
  const defs = [def('typhoon', 'typhoon'), def('civ', 'civilised_city')];
  it('shows the plan in force for the wall’s mode, else the latest raised, and none when all ended', () => {
    const plans = [act('civ', { levelAt: T0 }), act('typhoon', { levelAt: T0 + MIN })];
    expect(shownPlan(plans, defs, 'civilised_city')?.activation.planId).toBe('civ');
    expect(shownPlan(plans, defs, 'peacetime')?.activation.planId).toBe('typhoon');
    expect(shownPlan([act('civ', { endedAt: T0 + MIN })], defs, 'civilised_city')).toBeNull();
  });
  it('shows a plan the config does not know by its id, without a definition', () => {
    expect(shownPlan([act('ghost')], defs, 'peacetime')).toMatchObject({ def: null });
  });
});

describe(planAnnouncements.name, () => {
  const raised = act('typhoon', { actor: { role: 'system', id: 'triggers' }, reason: 'typhoon_signal:orange' });
  it('announces a plan its trigger raised for half an hour of world time, not a commander’s', () => {
    expect(planAnnouncements([raised, act('civ')], T0 + 10 * MIN)).toEqual([
      { planId: 'typhoon', level: 'II', cause: { kind: 'typhoon_signal', signal: 'orange' }, at: T0 },
    ]);
    expect(planAnnouncements([raised], T0 + 31 * MIN)).toEqual([]);
    expect(planAnnouncements([{ ...raised, endedAt: T0 + MIN }], T0 + 2 * MIN)).toEqual([]);
  });
});

describe(causeWords.name, () => {
  const zh = (k: MessageKey, p?: MessageParams) => translate('zh', k, p);
  const en = (k: MessageKey, p?: MessageParams) => translate('en', k, p);
  it('says what raised a plan in the screen’s language', () => {
    expect(causeWords(planCause('typhoon_signal:orange'), zh)).toBe('橙色台风预警');
    expect(causeWords(planCause('typhoon_signal:orange'), en)).toMatch(/orange/i);
    expect(causeWords(planCause('sensor:dust:alarm'), zh)).toBe('扬尘报警');
    expect(causeWords(planCause('event_window:forum'), zh)).toBe('重大活动临近');
  });
  it('keeps a reason it cannot parse as given, and an unknown signal or sensor as its name', () => {
    expect(causeWords(planCause('迎检'), zh)).toBe('迎检');
    expect(causeWords(planCause('typhoon_signal:purple'), zh)).toBe('台风purple预警');
    expect(causeWords(planCause('sensor:radon:ALARM'), zh)).toBe('radonALARM');
    expect(causeWords(planCause(undefined), zh)).toBe('指挥员启动');
  });
});

describe(planIntent.name, () => {
  it('gives the same step the same intent (a double click is one command) and different steps different ones', () => {
    const a = planIntent({ kind: 'activate', planId: 'civ', level: 'III' });
    expect(planIntent({ kind: 'activate', planId: 'civ', level: 'III' })).toBe(a);
    const all = [
      a,
      planIntent({ kind: 'activate', planId: 'civ', level: 'II' }),
      planIntent({ kind: 'activate', planId: 'typhoon', level: 'III' }),
      planIntent({ kind: 'end', planId: 'civ' }),
      planIntent({ kind: 'supervise', planId: 'civ', actionId: 'r', squadId: 'SQ1' }),
      planIntent({ kind: 'supervise', planId: 'civ', actionId: 'r', squadId: 'SQ2' }),
    ];
    expect(new Set(all).size).toBe(all.length);
  });
});
