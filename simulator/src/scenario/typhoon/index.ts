/**
 * Typhoon Meranti (1614) as a pure model: track, wind field, warning signals, incidents by phase, flood-point
 * sensors and road slowdown. Time and randomness come in as arguments; nothing here does I/O except
 * `loadTyphoonScenario`, which reads and validates the scenario file.
 */
export * from './beaufort.ts';
export * from './track.ts';
export * from './wind-field.ts';
export * from './typhoon-at.ts';
export * from './rain.ts';
export * from './signals.ts';
export * from './flood-points.ts';
export { ASSET_CLASSES, cellAssets, urbanity, type TyphoonCell } from './assets.ts';
export { createTyphoonIncidentModel, type TyphoonIncidentModel, type TyphoonModelInput } from './incident-model.ts';
export * from './incidents.ts';
export * from './typhoon-config.ts';
export * from './typhoon-scenario.ts';
