import { describe, expect, it } from 'vitest';
import type { Geometry, Model } from '@luma.gl/engine';
import { meshModel } from './mesh-model.ts';

/** A stand-in for luma.gl's Model that notes what the helper asked of it (no GPU in unit tests). */
function aModel(log: string[], name: string): Model {
  return {
    destroy: () => log.push(`${name}.destroy`),
    setGeometry: (g: { of: string }) => log.push(`${name}.setGeometry(${g.of})`),
  } as unknown as Model;
}

describe(meshModel.name, () => {
  const geometryOf = (mesh: { name: string }) => ({ of: mesh.name }) as unknown as Geometry;

  it('makes the model with the first mesh, then uploads only for another mesh object', () => {
    const log: string[] = [];
    let made = 0;
    const make = (g: Geometry) => (log.push(`make(${(g as unknown as { of: string }).of})`), aModel(log, `m${made++}`));
    const a = { name: 'a' };
    const b = { name: 'b' };
    const first = meshModel({}, a, geometryOf, make, false);
    expect(first.mesh).toBe(a);
    const same = meshModel(first, a, geometryOf, make, false);
    expect(same.model).toBe(first.model);
    const next = meshModel(same, b, geometryOf, make, false);
    expect(next.model).toBe(first.model);
    expect(next.mesh).toBe(b);
    expect(log).toEqual(['make(a)', 'm0.setGeometry(b)']);
  });

  it('makes the model again when the extensions change, destroying the old one', () => {
    const log: string[] = [];
    let made = 0;
    const make = () => aModel(log, `m${made++}`);
    const a = { name: 'a' };
    const first = meshModel({}, a, geometryOf, make, false);
    const again = meshModel(first, a, geometryOf, make, true);
    expect(again.model).not.toBe(first.model);
    expect(log).toEqual(['m0.destroy']);
  });
});
