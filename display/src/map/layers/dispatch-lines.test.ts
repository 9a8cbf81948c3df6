import { describe, expect, it } from 'vitest';
import type { Task } from '@egret/protocol';
import { aCase, aUnit, T0 } from '../../../test/fixtures.ts';
import {
  dispatchLines,
  dispatchLinesLayer,
  sourceOf,
  type DispatchLine,
  type LivePositions,
} from './dispatch-lines.ts';

/** Live positions by slot, as the display's position arrays answer them (state/unit-positions.ts). */
class UnitPositions implements LivePositions {
  private readonly at = new Map<number, [number, number]>();
  set(slot: number, lon: number, lat: number, _fixAt: number): void {
    this.at.set(slot, [lon, lat]);
  }
  has(slot: number): boolean {
    return this.at.has(slot);
  }
  lon(slot: number): number {
    return this.at.get(slot)![0];
  }
  lat(slot: number): number {
    return this.at.get(slot)![1];
  }
}
import { SELECTED_RING, selectedCaseLayer } from './selected-case.ts';

function aTask(o: Partial<Task> = {}): Task {
  return {
    id: 'T1',
    caseId: 'C1',
    unitId: 'U1',
    squadId: 'S1',
    status: 'en_route',
    createdAt: T0,
    updatedAt: T0,
    actor: { role: 'commander', id: 'c' },
    version: 0,
    ...o,
  };
}

describe(dispatchLines.name, () => {
  const cases = new Map([['C1', aCase({ id: 'C1', position: [118.1, 24.5] })]]);
  const units = new Map([['U1', aUnit({ id: 'U1', slot: 7, position: [118.0, 24.4] })]]);

  it('draws a line for each task on its way or on scene, from the unit to the case', () => {
    const tasks = ['dispatched', 'accepted', 'en_route', 'on_scene'].map((status, i) =>
      aTask({ id: `T${i}`, status: status as Task['status'] }),
    );
    const lines = dispatchLines(tasks, units, cases);
    expect(lines.map((l) => l.status)).toEqual(['dispatched', 'accepted', 'en_route', 'on_scene']);
    expect(lines[0]).toEqual({
      taskId: 'T0',
      caseId: 'C1',
      status: 'dispatched',
      slot: 7,
      from: [118.0, 24.4],
      to: [118.1, 24.5],
    });
  });

  it('draws none for finished tasks or tasks whose unit or case it does not know', () => {
    const tasks = [
      aTask({ status: 'done' }),
      aTask({ status: 'recalled' }),
      aTask({ unitId: 'U9' }),
      aTask({ caseId: 'C9' }),
    ];
    expect(dispatchLines(tasks, units, cases)).toEqual([]);
  });
});

describe(dispatchLinesLayer.name, () => {
  const line: DispatchLine = {
    taskId: 'T1',
    caseId: 'C1',
    status: 'en_route',
    slot: 2,
    from: [118, 24.4],
    to: [118.1, 24.5],
  };

  it('reads the moving end from the live positions, and re-reads it per position version only', () => {
    const positions = new UnitPositions();
    positions.set(2, 118.05, 24.45, T0);
    const layer = dispatchLinesLayer({ lines: [line], positions, version: 3 });
    expect(layer.id).toBe('dispatch-lines');
    const [lon, lat] = sourceOf(line, positions);
    expect(lon).toBeCloseTo(118.05, 5);
    expect(lat).toBeCloseTo(24.45, 5);
    expect(layer.props.updateTriggers).toEqual({ getSourcePosition: 3 });
    expect(layer.props.data).toEqual([line]);
  });

  it('falls back to the logged position before the first frame', () => {
    expect(sourceOf(line, new UnitPositions())).toEqual([118, 24.4]);
    expect(sourceOf({ ...line, from: null }, new UnitPositions())).toEqual([118.1, 24.5]);
  });

  it('styles a unit on scene apart from one on the way, and hides itself with no lines', () => {
    const positions = new UnitPositions();
    const layer = dispatchLinesLayer({ lines: [line], positions, version: 1 });
    const call = (accessor: unknown, d: DispatchLine) =>
      (accessor as (d: DispatchLine, o: unknown) => unknown)(d, { index: 0, data: [], target: [] });
    expect(call(layer.props.getWidth, { ...line, status: 'on_scene' })).toBeGreaterThan(
      call(layer.props.getWidth, line) as number,
    );
    expect(call(layer.props.getColor, { ...line, status: 'on_scene' })).not.toEqual(call(layer.props.getColor, line));
    expect(dispatchLinesLayer({ lines: [], positions, version: 1 }).props.visible).toBe(false);
  });

  it('keeps the same rows array across position versions, so deck.gl re-reads positions and nothing else', () => {
    const lines = [line];
    const positions = new UnitPositions();
    expect(dispatchLinesLayer({ lines, positions, version: 1 }).props.data).toBe(
      dispatchLinesLayer({ lines, positions, version: 2 }).props.data,
    );
  });
});

describe(selectedCaseLayer.name, () => {
  it('rings the selected case and hides itself when none is selected', () => {
    const layer = selectedCaseLayer(aCase(), 0.5);
    expect(layer.props.data).toHaveLength(1);
    expect(layer.props.visible).toBe(true);
    expect(layer.props.getLineColor).toEqual(SELECTED_RING);
    expect(layer.props.radiusScale).toBe(0.5);
    expect(selectedCaseLayer(null).props.visible).toBe(false);
  });
});

describe('the layer stack with dispatch lines and a selection', () => {
  it('puts the lines under the units and the selection ring above them', async () => {
    const { mapLayers } = await import('./index.ts');
    const base = {
      boundaries: { type: 'FeatureCollection' as const, features: [] },
      labels: [],
      cases: [],
      caseColor: () => [0, 0, 0, 255] as [number, number, number, number],
      units: {
        length: 0,
        positions: new Float32Array(0),
        colors: new Uint8Array(0),
        lineColors: new Uint8Array(0),
        radii: new Float32Array(0),
        version: 1,
      },
    };
    const ids = mapLayers({
      ...base,
      dispatch: { lines: [], positions: new UnitPositions(), version: 1 },
      selectedCase: null,
    }).map((l) => l.id);
    expect(ids.indexOf('dispatch-lines')).toBeLessThan(ids.indexOf('units'));
    expect(ids.indexOf('selected-case')).toBeGreaterThan(ids.indexOf('units'));
    expect(mapLayers(base).map((l) => l.id)).not.toContain('selected-case');
  });
});
