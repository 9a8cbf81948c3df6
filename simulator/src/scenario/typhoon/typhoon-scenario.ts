import type { LonLat } from '@egret/protocol';
import type { FloodPointEntry, IncidentSettings, ShelterEntry, TyphoonScenarioFile } from './typhoon-config.ts';
import { buildTrack, type Track } from './track.ts';

/** A typhoon scenario ready to run: the file's parts turned into the model's own objects. */
export interface TyphoonScenario {
  name: string;
  track: Track;
  /** The span the incident volumes refer to, epoch ms. */
  window: { start: number; end: number };
  forecast: { coneKmPer12h: number };
  signals: { cityPoint: LonLat; holdHours: number };
  incidents: IncidentSettings;
  floodPoints: readonly FloodPointEntry[];
  shelters: readonly ShelterEntry[];
}

export function typhoonScenario(file: TyphoonScenarioFile): TyphoonScenario {
  const track = buildTrack({
    name: `${file.storm.id} ${file.storm.name.en} (${file.storm.name.zh})`,
    keyframes: file.track.map((k) => ({
      at: k.at,
      center: [k.lon, k.lat],
      pressureHpa: k.pressureHpa,
      maxWindMs: k.maxWindMs,
      rmwKm: k.rmwKm,
      approximate: k.approximate,
      ...(k.note === undefined ? {} : { note: k.note }),
    })),
    landfall: { at: file.landfall.at, center: [file.landfall.lon, file.landfall.lat], place: file.landfall.place.zh },
    physics: file.physics,
  });
  return {
    name: file.name,
    track,
    window: file.window,
    forecast: file.forecast,
    signals: file.signals,
    incidents: file.incidents,
    floodPoints: file.floodPoints,
    shelters: file.shelters,
  };
}
