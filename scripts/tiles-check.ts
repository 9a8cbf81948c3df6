/**
 * `npm run tiles:check -- <file.pmtiles | url-template> [--city xiamen]`: says what is wrong with a tile package or
 * a tile service before a city plugs it in (docs/operations.md, "The base map"). Exits 1 naming each problem.
 */
import { loadConfig } from '@egret/config';
import { checkTiles } from '@egret/server/tiles-check.ts';

const args = process.argv.slice(2);
const cityAt = args.indexOf('--city');
const cityId = cityAt >= 0 ? args[cityAt + 1] : undefined;
const target = args.find((a, i) => !a.startsWith('--') && (cityAt < 0 || i !== cityAt + 1));
if (!target) {
  console.error('usage: npm run tiles:check -- <file.pmtiles | url-template with {z} {x} {y}> [--city xiamen]');
  process.exit(2);
}
const { city } = loadConfig(cityId ? { city: cityId } : {});
const { facts, problems } = await checkTiles(target, city);
for (const f of facts) console.log(f);
if (problems.length === 0) {
  console.log(`OK: ${target} can serve ${city.name.en}'s base map`);
} else {
  console.log(`${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
  for (const p of problems) console.log(`  - ${p}`);
  process.exitCode = 1;
}
