import { describe, expect, it } from 'vitest';
import { mapFailureOf } from './map-failure.ts';

describe(mapFailureOf.name, () => {
  it('tells a browser without WebGL 2 (no device) and a lost context apart', () => {
    expect(mapFailureOf(new Error('WebGL2 not supported'), false, false)).toBe('no-webgl');
    expect(mapFailureOf(new Error('WebGL context is lost'), false, true)).toBe('context-lost');
  });

  it('leaves a layer’s error, and one after the device was ready, to the map that goes on drawing', () => {
    expect(mapFailureOf(new Error('tile 404'), true, true)).toBeNull();
    expect(mapFailureOf(new Error('WebGL context is lost'), true, true)).toBeNull();
    expect(mapFailureOf(new Error('shader failed'), false, true)).toBeNull();
  });
});
