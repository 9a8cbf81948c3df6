import { describe, expect, it } from 'vitest';
import { initialPacer, pacePosition, paceTick, type PhonePosition } from './fix-pacer.ts';

const at = (lon: number, accuracy = 10): PhonePosition => ({ lon, lat: 24.48, accuracy, at: 0 });

describe(pacePosition.name, () => {
  it('sends the first position at once, then at most one per interval, the freshest', () => {
    let s = initialPacer();
    let r = pacePosition(s, at(118.0), 0, 5_000);
    expect(r.send?.lon).toBe(118.0);
    s = r.state;
    r = pacePosition(s, at(118.1), 1_000, 5_000);
    expect(r.send).toBeNull();
    r = pacePosition(r.state, at(118.2), 2_000, 5_000);
    expect(r.send).toBeNull();
    expect(paceTick(r.state, 4_999, 5_000).send).toBeNull();
    const t = paceTick(r.state, 5_000, 5_000);
    expect(t.send?.lon).toBe(118.2);
    expect(paceTick(t.state, 10_000, 5_000).send).toBeNull(); // nothing new waiting
  });

  it('keeps back a reading too coarse to place a unit on a street', () => {
    expect(pacePosition(initialPacer(), at(118, 2_000), 0, 5_000).send).toBeNull();
    expect(pacePosition(initialPacer(), at(118, Number.NaN), 0, 5_000).send).toBeNull();
  });

  it('sends a position arriving after the interval at once', () => {
    const s = pacePosition(initialPacer(), at(118), 0, 5_000).state;
    expect(pacePosition(s, at(118.3), 6_000, 5_000).send?.lon).toBe(118.3);
  });
});
