import type { JurisdictionRule, PlanLevel } from '@egret/protocol';

/**
 * What is wrong with the jurisdiction rule's neighbours for a city: every code a district of the city, none its own
 * neighbour, and each pair listed both ways (Haicang borders Huli if and only if Huli borders Haicang). One line per
 * problem, naming the file and field. Pure.
 */
export function jurisdictionProblems(
  rule: JurisdictionRule,
  districts: readonly string[],
  file = 'config/settings.json',
): string[] {
  const known = new Set(districts);
  const problems: string[] = [];
  const field = (d: string) => `${file}: jurisdiction.neighbours.${d}`;
  for (const [d, list] of Object.entries(rule.neighbours)) {
    if (!known.has(d))
      problems.push(`${field(d)}: ${d} is not a district of the city (expected one of ${districts.join(', ')})`);
    list.forEach((n, i) => {
      if (!known.has(n))
        problems.push(
          `${field(d)}[${i}]: ${n} is not a district of the city (expected one of ${districts.join(', ')})`,
        );
      else if (n === d) problems.push(`${field(d)}[${i}]: a district is not its own neighbour`);
      else if (!(rule.neighbours[n] ?? []).includes(d))
        problems.push(
          `${field(d)}[${i}]: ${n} is listed, but jurisdiction.neighbours.${n} does not list ${d} (expected both ways)`,
        );
    });
  }
  return problems;
}

/**
 * What is wrong with the rule's widening by campaign level (`jurisdiction.plans`) for the manual's plans: each plan
 * id one of `config/plans`, each level one the plan has. One line per problem, naming the file and field. Pure.
 */
export function jurisdictionPlanProblems(
  rule: JurisdictionRule,
  plans: readonly { id: string; levels: readonly { level: PlanLevel }[] }[],
  file = 'config/settings.json',
): string[] {
  const byId = new Map(plans.map((p) => [p.id, new Set(p.levels.map((l) => l.level))]));
  const problems: string[] = [];
  for (const [planId, levels] of Object.entries(rule.plans)) {
    const has = byId.get(planId);
    if (!has) {
      problems.push(
        `${file}: jurisdiction.plans.${planId}: no plan ${planId} in config/plans (expected one of ${[...byId.keys()].join(', ')})`,
      );
      continue;
    }
    for (const level of Object.keys(levels))
      if (!has.has(level as PlanLevel))
        problems.push(
          `${file}: jurisdiction.plans.${planId}.${level}: plan ${planId} has no level ${level} (expected one of ${[...has].join(', ')})`,
        );
  }
  return problems;
}
