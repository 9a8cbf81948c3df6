import { describe, expect, it } from 'vitest';
import { districtShapes, GRID_CELL_M, gridSpec, loadConfig } from '@egret/config';
import { MAX_FUTURE_SKEW_MS, type Camera, type CameraSpec, type InputMessage } from '@egret/protocol';
import { applyInput, entitiesNeeded, type ApplyContext } from './apply-input.ts';

/** The camera inputs (`camera.register` / `camera.remove`) as `applyInput` decides them: pure, no store. */
const config = loadConfig();
const NOW = Date.UTC(2026, 6, 1, 2, 0, 0);
const GW = 'https://gw.example';
const configured: CameraSpec = {
  id: 'CFG-1',
  name: '中山路口',
  kind: 'ptz',
  position: [118.08, 24.456],
  stream: { url: `${GW}/live/CFG-1.m3u8`, format: 'hls' },
};
const ctx: ApplyContext = {
  categories: config.categories,
  shapes: districtShapes(config.boundaries),
  districts: new Set(config.city.districts.map((d) => d.code)),
  worldNow: NOW,
  realNow: NOW,
  sensors: config.settings.sensors,
  grids: gridSpec(config.city.bbox, GRID_CELL_M),
  video: { origins: new Set([GW]), cameras: new Map([[configured.id, configured]]) },
};
const register = (over: Partial<Extract<InputMessage, { kind: 'camera.register' }>> = {}): InputMessage => ({
  kind: 'camera.register',
  cameraId: 'C-1',
  name: '鹭江道',
  cameraKind: 'fixed',
  lon: 118.075,
  lat: 24.46,
  stream: { url: `${GW}/flv/C-1.flv`, format: 'flv' },
  at: NOW - 1_000,
  ...over,
});
const remove = (cameraId: string): InputMessage => ({ kind: 'camera.remove', cameraId, at: NOW - 1_000 });

describe('camera inputs', () => {
  it('registers a camera as version 0, then the next version, reading only that camera', () => {
    expect(entitiesNeeded(register())).toEqual({ cameraIds: ['C-1'], follow: false });
    const first = applyInput(register(), {}, ctx);
    expect(first).toMatchObject({
      ok: true,
      writes: [
        { kind: 'camera', expectedVersion: null, entity: { id: 'C-1', version: 0, position: [118.075, 24.46] } },
      ],
      events: [{ type: 'camera.registered', camera: { id: 'C-1', version: 0 } }],
    });
    const prev = (first as { writes: Array<{ entity: Camera }> }).writes[0]!.entity;
    expect(applyInput(register({ name: '鹭江道 新' }), { camera: prev }, ctx)).toMatchObject({
      writes: [{ expectedVersion: 0, entity: { name: '鹭江道 新', version: 1 } }],
    });
  });

  it('refuses a URL off the configured origins before anything else, and every camera without a video platform', () => {
    expect(applyInput(register({ stream: { url: 'https://evil.example/x.flv', format: 'flv' } }), {}, ctx)).toEqual({
      ok: false,
      reason: 'origin_not_allowed',
      detail: `stream.url: origin https://evil.example is not a configured video origin (${GW})`,
    });
    const noVideo: ApplyContext = { ...ctx, video: undefined };
    expect(applyInput(register(), {}, noVideo)).toMatchObject({ ok: false, reason: 'origin_not_allowed' });
    expect(applyInput(register({ at: NOW + MAX_FUTURE_SKEW_MS + 1 }), {}, ctx)).toMatchObject({
      ok: false,
      reason: 'far_future',
    });
  });

  it('removes a configured camera as a tombstone, a registered one as its next version, and refuses the unknown', () => {
    expect(applyInput(remove('CFG-1'), {}, ctx)).toMatchObject({
      writes: [{ kind: 'camera', expectedVersion: null, entity: { id: 'CFG-1', removed: true, version: 0 } }],
      events: [{ type: 'camera.removed', camera: { id: 'CFG-1', name: '中山路口', removed: true } }],
    });
    const stored: Camera = { ...configured, id: 'C-2', version: 4 };
    expect(applyInput(remove('C-2'), { camera: stored }, ctx)).toMatchObject({
      writes: [{ expectedVersion: 4, entity: { removed: true, version: 5 } }],
    });
    expect(applyInput(remove('NO-SUCH'), {}, ctx)).toMatchObject({ ok: false, reason: 'unknown_camera' });
    expect(applyInput(remove('C-2'), { camera: { ...stored, removed: true } }, ctx)).toMatchObject({
      ok: false,
      reason: 'unknown_camera',
    });
    // A registration brings a removed camera back, at the next version.
    const back = applyInput(register({ cameraId: 'C-2' }), { camera: { ...stored, removed: true } }, ctx);
    expect(back).toMatchObject({ writes: [{ expectedVersion: 4, entity: { version: 5 } }] });
    expect((back as { writes: Array<{ entity: Camera }> }).writes[0]!.entity.removed).toBeUndefined();
  });
});
