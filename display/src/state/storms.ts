import { intensityClass, SIGNAL_LEVELS, type IntensityClass, type SignalLevel, type Storm } from '@egret/protocol';
import type { I18n } from '../i18n/i18n.svelte.ts';
import type { StormPictureOptions } from '../map/storm-picture.ts';

/**
 * Which storms the wall shows and what the title bar says about the one that matters most: its warning signal,
 * name and number, and the time to (or since) landfall by the world clock.
 */

/** A storm the feed has not updated for this long (world time) has passed or dissipated: the wall drops it. */
export const STORM_KEEP_MS = 24 * 3_600_000;

const signalRank = (s: SignalLevel) => SIGNAL_LEVELS.indexOf(s);

/**
 * The storms to draw, the most pressing first: the highest signal, then the nearest landfall (a storm heading
 * elsewhere last). A storm not updated for `STORM_KEEP_MS` is left out.
 */
export function activeStorms(storms: Iterable<Storm>, now: number): Storm[] {
  const out = [...storms].filter((s) => now - s.at <= STORM_KEEP_MS);
  const landfallGap = (s: Storm) => (s.landfall ? Math.abs(s.landfall.at - now) : Infinity);
  return out.sort(
    (a, b) =>
      signalRank(b.signal) - signalRank(a.signal) || landfallGap(a) - landfallGap(b) || a.id.localeCompare(b.id),
  );
}

/** Time to landfall (`before`) or since it (`after`), as hours and minutes: `03:07`, or `27:40` a day out. */
export interface LandfallClock {
  kind: 'before' | 'after';
  hhmm: string;
  place: string;
}

/**
 * The landfall countdown by the world clock, or null for a storm with no landfall expected. Minutes to go are
 * rounded up (a minute before landfall reads 00:01, not 00:00); minutes since are counted down.
 */
export function landfallClock(storm: Storm, now: number): LandfallClock | null {
  if (!storm.landfall) return null;
  const left = storm.landfall.at - now;
  const minutes = left > 0 ? Math.ceil(left / 60_000) : Math.floor(-left / 60_000);
  const hhmm = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return { kind: left > 0 ? 'before' : 'after', hhmm, place: storm.landfall.place };
}

/** What the title bar shows about the leading storm. */
export interface StormHeadline {
  id: string;
  name: { zh: string; en: string };
  signal: SignalLevel;
  intensity: IntensityClass;
  landfall: LandfallClock | null;
}

/** The headline of the most pressing storm at `now`, or null when none is reported. */
export function stormHeadline(storms: readonly Storm[], now: number): StormHeadline | null {
  const s = storms[0];
  if (!s) return null;
  return {
    id: s.id,
    name: s.name,
    signal: s.signal,
    intensity: intensityClass(s.maxWindMs),
    landfall: landfallClock(s, now),
  };
}

/** The storm layers' words in the screen's language: the label beside a centre, and the pointer to one off the map. */
export function stormWords(i18n: Pick<I18n, 't' | 'name'>): Pick<StormPictureOptions, 'labelOf' | 'pointerText'> {
  return {
    labelOf: (s) =>
      i18n.t('storm.centreLabel', {
        name: i18n.name(s.name),
        intensity: i18n.t(`storm.class.${intensityClass(s.maxWindMs)}`),
        wind: Math.round(s.maxWindMs),
        pressure: Math.round(s.pressureHpa),
      }),
    pointerText: (s, km) => i18n.t('storm.pointer', { name: i18n.name(s.name), km }),
  };
}
