import type { CaseReport, InputMessage } from '@egret/protocol';

/** What a feed sent over one step: messages as they are, and case reports for the city's intake desk. */
export interface FeedOutput {
  events: InputMessage[];
  reports: CaseReport[];
}

/**
 * An upstream system a city world plays besides its roster, patrols and case desk: an IoT platform, the weather
 * bureau's storm feed, the flood of reports a storm brings. The world asks it once when it starts and then for each
 * step's span. Its case reports go through the city's intake like the city's own, so they are accepted, filed and
 * dispatched; everything else is sent as it is. Like a world, a feed is deterministic: its output depends on the
 * seed and the spans it is asked for, nothing else.
 */
export interface Feed {
  /** Short name for the stats line (`sensors`, `storm` …). */
  readonly name: string;
  /** What it sends when the world comes up at `now` (sensor registrations, the storm as it stands). */
  start(now: number): InputMessage[];
  /** What it sends in (from, to], each message at its own world time. */
  step(from: number, to: number): FeedOutput;
}
