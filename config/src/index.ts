export * from './categories.ts';
export * from './load.ts';
export * from './schema.ts';
export * from './geometry.ts';
