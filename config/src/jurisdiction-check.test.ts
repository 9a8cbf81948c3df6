import { describe, expect, it } from 'vitest';
import { JurisdictionRule } from '@egret/protocol';
import { jurisdictionPlanProblems, jurisdictionProblems } from './jurisdiction-check.ts';
import { loadConfig } from './load.ts';

const WAIT = { gridMinutes: 0, districtMinutes: 10, cityMinutes: null };
const rule = (neighbours: Record<string, string[]>) =>
  JurisdictionRule.parse({ wait: { normal: WAIT, urgent: WAIT, critical: WAIT }, handlingMinutes: 30, neighbours });
const XIAMEN = ['350203', '350205', '350206', '350211', '350212', '350213'];

describe(jurisdictionProblems.name, () => {
  it('accepts the shipped settings for Xiamen: every district has neighbours, listed both ways', () => {
    const config = loadConfig();
    const j = config.settings.jurisdiction!;
    expect(j).toBeDefined();
    expect(jurisdictionProblems(j, XIAMEN)).toEqual([]);
    expect(Object.keys(j.neighbours).sort()).toEqual(XIAMEN);
  });

  it('names the file, the field and what was expected', () => {
    const problems = jurisdictionProblems(
      rule({ '350203': ['350206', '350203', '999999'], '350206': [], '123456': [] }),
      XIAMEN,
    );
    expect(problems).toEqual([
      `config/settings.json: jurisdiction.neighbours.123456: 123456 is not a district of the city (expected one of ${XIAMEN.join(', ')})`,
      'config/settings.json: jurisdiction.neighbours.350203[0]: 350206 is listed, but jurisdiction.neighbours.350206 does not list 350203 (expected both ways)',
      'config/settings.json: jurisdiction.neighbours.350203[1]: a district is not its own neighbour',
      `config/settings.json: jurisdiction.neighbours.350203[2]: 999999 is not a district of the city (expected one of ${XIAMEN.join(', ')})`,
    ]);
  });
});

describe(jurisdictionPlanProblems.name, () => {
  const plans: Parameters<typeof jurisdictionPlanProblems>[1] = [
    { id: 'civilised-city', levels: [{ level: 'IV' }, { level: 'III' }] },
    { id: 'typhoon', levels: [{ level: 'III' }, { level: 'II' }, { level: 'I' }] },
  ];
  const withPlans = (p: Record<string, Record<string, string>>) =>
    JurisdictionRule.parse({
      wait: { normal: WAIT, urgent: WAIT, critical: WAIT },
      handlingMinutes: 30,
      neighbours: {},
      plans: p,
    });

  it('accepts the shipped settings against the shipped manual', () => {
    const config = loadConfig();
    expect(jurisdictionPlanProblems(config.settings.jurisdiction!, config.plans)).toEqual([]);
    expect(Object.keys(config.settings.jurisdiction!.plans).length).toBeGreaterThan(0);
  });

  it('names a plan the manual has not (another letter case too) and a level the plan has not', () => {
    expect(
      jurisdictionPlanProblems(
        withPlans({ 'civilised-city': { II: 'neighbour', III: 'neighbour' }, Typhoon: { I: 'city' } }),
        plans,
      ),
    ).toEqual([
      'config/settings.json: jurisdiction.plans.civilised-city.II: plan civilised-city has no level II (expected one of IV, III)',
      'config/settings.json: jurisdiction.plans.Typhoon: no plan Typhoon in config/plans (expected one of civilised-city, typhoon)',
    ]);
  });

  it('refuses a level that is not a response level, or a jurisdiction level that does not exist, at parse', () => {
    expect(() => withPlans({ typhoon: { i: 'city' } })).toThrow();
    expect(() => withPlans({ typhoon: { I: 'province' } })).toThrow();
  });
});
