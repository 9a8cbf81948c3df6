import type { InputMessage, LonLat, SensorKind, SensorReading } from '@egret/protocol';
import type { Feed, FeedOutput } from '../feed.ts';

/** What a sensor reads at one instant; a moving one (a dog tag) also says where it is. */
export interface SensorValue {
  value: number;
  position?: LonLat;
}

/** A sensor the simulator plays: what it registers as, and its readings as a pure function of world time. */
export interface SimSensor {
  id: string;
  kind: SensorKind;
  name: string;
  district: string;
  position: LonLat;
  unit: string;
  warning: number;
  alarm: number;
  /** Offset of its readings within the reading interval, ms: a platform's sensors do not all report in the same second. */
  phaseMs: number;
  read(t: number): SensorValue;
}

/**
 * An IoT platform: registers its sensors when the world starts (`sensor.register`, again on every restart — the hub
 * takes it as an update) and sends each one's reading every `intervalMs` at its own phase (`sensor.reading`). The
 * reading times are fixed by the clock (k × interval + phase), and every value is a function of its time, so the
 * same seed gives the same readings however the world's steps slice time. The hub judges the levels and raises the
 * cases; the platform only reads.
 */
export function createSensorFeed(name: string, sensors: readonly SimSensor[], intervalMs: number): Feed {
  if (!(intervalMs > 0)) throw new RangeError('sensor reading interval must be positive');
  return {
    name,
    start(now) {
      return sensors.map((s): InputMessage => ({
        kind: 'sensor.register',
        sensorId: s.id,
        sensorKind: s.kind,
        name: s.name,
        district: s.district,
        lon: s.position[0],
        lat: s.position[1],
        unit: s.unit,
        warning: s.warning,
        alarm: s.alarm,
        at: now,
      }));
    },
    step(from, to): FeedOutput {
      const events: SensorReading[] = [];
      for (const s of sensors) {
        // Reading times k × interval + phase in (from, to].
        for (let k = Math.floor((from - s.phaseMs) / intervalMs) + 1; k * intervalMs + s.phaseMs <= to; k++) {
          const at = k * intervalMs + s.phaseMs;
          const { value, position } = s.read(at);
          events.push({
            kind: 'sensor.reading',
            sensorId: s.id,
            value,
            ...(position ? { lon: position[0], lat: position[1] } : {}),
            at,
          });
        }
      }
      events.sort((a, b) => a.at - b.at);
      return { events, reports: [] };
    },
  };
}
