import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GridMap } from '@egret/protocol';
import { SMALL_GRID } from '../../test/grid.ts';
import { fetchGridMap, loadGridMap } from './grid-map.ts';

const answer = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe(fetchGridMap.name, () => {
  it('asks the hub for /api/map/grids and checks the answer against the protocol', async () => {
    const fetchFn = vi.fn(async () => answer(SMALL_GRID));
    expect(await fetchGridMap(fetchFn)).toEqual(SMALL_GRID);
    expect(fetchFn).toHaveBeenCalledWith('/api/map/grids', expect.anything());
    await expect(fetchGridMap(async () => answer({ cells: 'no' }))).rejects.toThrow();
    await expect(fetchGridMap(async () => answer({}, 401))).rejects.toThrow(/401/);
  });
});

describe(loadGridMap.name, () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('retries with a doubling wait, capped, until the hub answers, then hands the map over once', async () => {
    const answers: Array<() => Response> = [
      () => answer({}, 503),
      () => answer({}, 503),
      () => answer({}, 401),
      () => answer(SMALL_GRID),
    ];
    const fetchFn = vi.fn(async () => {
      if (answers.length === 0) throw new Error('asked again after success');
      return answers.shift()!();
    });
    const waits: number[] = [];
    const loaded: GridMap[] = [];
    loadGridMap((m) => loaded.push(m), {
      fetchFn,
      firstDelayMs: 1_000,
      maxDelayMs: 3_000,
      onError: (_e, ms) => waits.push(ms),
    });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(waits).toEqual([1_000, 2_000, 3_000]);
    expect(loaded).toEqual([SMALL_GRID]);
    expect(fetchFn).toHaveBeenCalledTimes(4);
  });

  it('stops trying when told to, and drops an answer that comes after', async () => {
    const fetchFn = vi.fn(async () => {
      throw new Error('unreachable');
    });
    const stop = loadGridMap(() => {}, { fetchFn, firstDelayMs: 1_000, onError: () => {} });
    await vi.advanceTimersByTimeAsync(1_500);
    stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fetchFn).toHaveBeenCalledTimes(2);

    let release!: (r: Response) => void;
    const loaded: GridMap[] = [];
    const late = loadGridMap((m) => loaded.push(m), { fetchFn: () => new Promise<Response>((r) => (release = r)) });
    late();
    release(answer(SMALL_GRID));
    await vi.advanceTimersByTimeAsync(0);
    expect(loaded).toEqual([]);
  });
});
