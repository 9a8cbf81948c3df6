import { describe, expect, it } from 'vitest';
import { FrameFollower, KEYFRAME_RETRY_TICKS } from './frame-follower.ts';

const delta = (tick: number) => ({ tick, keyframe: false });
const key = (tick: number) => ({ tick, keyframe: true });

describe(FrameFollower.name, () => {
  it('takes a keyframe then consecutive ticks without asking for anything', () => {
    const f = new FrameFollower();
    expect(f.receive(key(10))).toEqual({ askKeyframe: false });
    expect(f.receive(delta(11))).toEqual({ askKeyframe: false });
    expect(f.receive(delta(12))).toEqual({ askKeyframe: false });
  });

  it('applies a frame after skipped ticks and asks for a keyframe once', () => {
    const f = new FrameFollower();
    f.receive(key(10));
    expect(f.receive(delta(13))).toEqual({ askKeyframe: true });
    expect(f.receive(delta(14)).askKeyframe).toBe(false);
    expect(f.receive(delta(16)).askKeyframe).toBe(false);
  });

  it('asks for a keyframe when the first frame it sees is a delta', () => {
    expect(new FrameFollower().receive(delta(5)).askKeyframe).toBe(true);
  });

  it('stops waiting once the keyframe arrives', () => {
    const f = new FrameFollower();
    f.receive(delta(5));
    f.receive(key(6));
    expect(f.receive(delta(9)).askKeyframe).toBe(true);
  });

  it('asks again when the asked-for keyframe never comes', () => {
    const f = new FrameFollower();
    expect(f.receive(delta(5)).askKeyframe).toBe(true);
    for (let t = 6; t < 5 + KEYFRAME_RETRY_TICKS; t++) expect(f.receive(delta(t)).askKeyframe).toBe(false);
    expect(f.receive(delta(5 + KEYFRAME_RETRY_TICKS)).askKeyframe).toBe(true);
  });

  it('treats ticks going backwards (a restarted ticker) as a gap', () => {
    const f = new FrameFollower();
    f.receive(key(100));
    expect(f.receive(delta(3)).askKeyframe).toBe(true);
  });

  it('forgets its ticks on reset', () => {
    const f = new FrameFollower();
    f.receive(key(100));
    f.reset();
    expect(f.receive(delta(101)).askKeyframe).toBe(true);
  });
});
