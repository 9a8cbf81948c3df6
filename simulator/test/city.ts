import { loadConfig, loadPlaces, loadScenario, type CityScenarioFile } from '@egret/config';
import { cityGeometry } from '../src/scenario/city-geometry.ts';

/** Xiamen as the simulator sees it, built once per test file: config, places, geometry and the normal-day scenario. */
export const config = loadConfig();
export const places = loadPlaces();
export const geometry = cityGeometry(config);
export const normalDay = loadScenario('normal-day', { categories: config.categories }) as CityScenarioFile;

/** 2026-11-22 00:00 in Xiamen (UTC+8). */
export const MIDNIGHT = Date.parse('2026-11-22T00:00:00+08:00');
export const HOUR = 3_600_000;
export const EIGHT_HOURS = 8 * HOUR;
