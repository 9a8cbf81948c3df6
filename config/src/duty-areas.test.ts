import { describe, expect, it } from 'vitest';
import { districtShapes } from './geometry.ts';
import { GRID_CELL_M, gridCells, gridSpec } from './grids.ts';
import { gridSquads, partitionCells } from './duty-areas.ts';
import { loadConfig } from './load.ts';
import { citySquads } from './plans.ts';

describe(gridSquads.name, () => {
  const config = loadConfig();
  const cells = gridCells(districtShapes(config.boundaries), gridSpec(config.city.bbox, GRID_CELL_M));
  const bySquad = gridSquads(cells, config.city.districts);

  it('gives every cell of the city to one squad of its own district, every squad some cells', () => {
    const squads = citySquads(config.city);
    expect(bySquad.size).toBe(cells.length);
    for (const c of cells) expect(squads.get(c.district)).toContain(bySquad.get(c.id));
    const held = new Set(bySquad.values());
    for (const s of [...squads.values()].flat()) expect(held.has(s)).toBe(true);
  });

  it('is the partition the simulator’s roster uses: area k of a district is its squad k + 1', () => {
    const siming = cells.filter((c) => c.district === '350203');
    const areas = partitionCells(siming, 4);
    siming.forEach((c, i) => expect(bySquad.get(c.id)).toBe(`SQ-350203-0${areas[i]! + 1}`));
  });
});
