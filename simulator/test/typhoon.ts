import { districtShapes, gridCells, gridSpec } from '@egret/config';
import { createTyphoonIncidentModel } from '../src/scenario/typhoon/incident-model.ts';
import { loadTyphoonScenario } from '../src/scenario/typhoon/typhoon-config.ts';
import { typhoonScenario } from '../src/scenario/typhoon/typhoon-scenario.ts';
import { config, places } from './city.ts';

/** Typhoon Meranti as the simulator plays it, built once per test file: the file, the scenario, and its incident model. */
export const typhoonFile = loadTyphoonScenario({ categories: config.categories });
export const meranti = typhoonScenario(typhoonFile);
export const LANDFALL = meranti.track.landfall.at;
export const WINDOW_START = meranti.window.start;

/** The incident model on a 1 km grid: quicker to build than the simulator's 500 m one, and the same storm. */
export const typhoonModel = createTyphoonIncidentModel({
  scenario: meranti,
  cells: gridCells(districtShapes(config.boundaries), gridSpec(config.city.bbox, 1000)),
  seed: 2016,
  places: places.districts,
  districtNames: Object.fromEntries(config.city.districts.map((d) => [d.code, d.name.zh])),
});
