import { describe, expect, it } from 'vitest';
import type { CameraSpec } from '@egret/protocol';
import { distanceText, shownWindows, streamOf } from './camera-views.ts';

const GW = 'https://gw.example';
const live: CameraSpec = {
  id: 'C1',
  name: '中山路口',
  kind: 'ptz',
  position: [118.08, 24.456],
  stream: { url: `${GW}/live/C1.flv`, format: 'flv' },
  playback: { template: `${GW}/pb/C1.m3u8?s={start}&e={end}`, format: 'hls', time: 'epoch_s' },
};
const noPlayback: CameraSpec = { ...live, id: 'C2', playback: undefined };
const by = { role: 'commander' as const, id: 'alice' };

describe(streamOf.name, () => {
  it('plays the live stream in its own format, and a recording in the playback’s', () => {
    expect(streamOf(live)).toEqual({ url: `${GW}/live/C1.flv`, format: 'flv' });
    expect(streamOf(live, { start: 1_000_000, end: 1_600_000 })).toEqual({
      url: `${GW}/pb/C1.m3u8?s=1000&e=1600`,
      format: 'hls',
      recording: true,
    });
  });
  it('has no recording for a camera without a template', () => {
    expect(streamOf(noPlayback, { start: 1, end: 2 })).toBeUndefined();
  });
});

describe(shownWindows.name, () => {
  it('joins windows with their cameras, oldest first, and leaves out a camera no longer in the registry', () => {
    const shown = shownWindows(
      [
        { cameraId: 'C1', by, at: 1 },
        { cameraId: 'GONE', by, at: 2 },
        { cameraId: 'C2', by, at: 3 },
      ],
      [live, noPlayback],
    );
    expect(shown.map((s) => [s.camera.id, s.source.format])).toEqual([
      ['C1', 'flv'],
      ['C2', 'flv'],
    ]);
  });
});

describe(distanceText.name, () => {
  it('reads metres to ten, then kilometres', () => {
    expect(distanceText(123, 'zh')).toBe('120米');
    expect(distanceText(1_260, 'en')).toBe('1.3 km');
  });
});
