import { describe, expect, it } from 'vitest';
import { SMALL_GRID } from '../../../test/grid.ts';
import { THEME } from '../../theme.ts';
import { gridPicture } from '../grid-picture.ts';
import { gridLayer, gridSelectedLayer } from './grid.ts';

describe(gridLayer.name, () => {
  const picture = gridPicture(SMALL_GRID);

  it('draws the lattice lines as faint hairlines, from the picture’s own array', () => {
    const layer = gridLayer({ picture });
    expect(layer.id).toBe('grid');
    expect(layer.props.data).toBe(picture.lines);
    expect(layer.props.getColor).toEqual(THEME.map.gridLine);
    expect(THEME.map.gridLine[3]).toBeLessThan(80);
    expect(layer.props).toMatchObject({
      widthUnits: 'meters',
      widthScale: 1,
      widthMinPixels: 1,
      widthMaxPixels: 3,
      pickable: false,
    });
  });

  it('scales its lines for the console without letting them vanish', () => {
    expect(gridLayer({ picture, scale: 0.5 }).props).toMatchObject({
      widthScale: 0.5,
      widthMinPixels: 1,
      widthMaxPixels: 1.5,
    });
  });
});

describe(gridSelectedLayer.name, () => {
  const rings = gridPicture(SMALL_GRID).rings.get('350203000000001')!;

  it('outlines the cell in white over a glow, brighter and wider than the grid', () => {
    const layer = gridSelectedLayer({ rings, scale: 0.5 });
    const rows = layer.props.data as unknown as { path: unknown; width: number; color: number[] }[];
    expect(layer.id).toBe('grid-selected');
    expect(layer.props.visible).toBe(true);
    expect(rows.map((r) => r.color)).toEqual([THEME.map.gridSelectedGlow, THEME.map.gridSelected]);
    expect(rows.every((r) => r.path === rings[0])).toBe(true);
    expect(rows[1]!.width).toBeGreaterThan(3);
    expect(THEME.map.gridSelected[3]).toBeGreaterThan(THEME.map.gridLine[3] * 4);
    expect(layer.props.widthScale).toBe(0.5);
  });

  it('hands deck.gl the same rows while the same cell stays selected', () => {
    expect(gridSelectedLayer({ rings }).props.data).toBe(gridSelectedLayer({ rings }).props.data);
  });

  it('stays in the stack, hidden, while no case is selected', () => {
    const layer = gridSelectedLayer({ rings: [] });
    expect(layer.id).toBe('grid-selected');
    expect(layer.props.visible).toBe(false);
  });
});
