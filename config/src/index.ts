export * from './categories.ts';
export * from './load.ts';
export * from './schema.ts';
export * from './geometry.ts';
export * from './grids.ts';
export * from './places.ts';
export * from './scenario-schema.ts';
export * from './roads.ts';
