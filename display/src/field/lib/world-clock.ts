/**
 * The world time on the phone. Deadlines are world times, and a drill runs its own (a typhoon of 2016, at 20×): the
 * phone counts them from the world time the hub last told it, advanced at the world's rate by the phone's own elapsed
 * time — never by the phone's clock itself, which may also be wrong. A real deployment's world time is real time.
 */
import { worldNow, type Clock } from '@egret/protocol';

/** The world time as last read from the hub, and when it arrived (the phone's clock). */
export interface WorldReading {
  world: number;
  real: number;
  rate: number;
}

/** A push's world time: the clock at the hub's own `at`, held against the phone's clock on arrival; null: no clock. */
export function readWorld(push: { at: number; clock?: Clock | undefined }, realNow: number): WorldReading | null {
  if (!push.clock) return null;
  return { world: worldNow(push.clock, push.at), real: realNow, rate: push.clock.rate };
}

/** World time at the phone's `realNow`; with no reading (a hub that sends no clock), the phone's clock. */
export function worldTimeAt(r: WorldReading | null, realNow: number): number {
  if (!r) return realNow;
  return Math.round(r.world + Math.max(0, realNow - r.real) * r.rate);
}
