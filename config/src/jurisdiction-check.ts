import type { JurisdictionRule } from '@egret/protocol';

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
