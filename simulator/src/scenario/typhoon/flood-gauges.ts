import type { SimSensor } from '../sensors/sensor-feed.ts';
import type { FloodPoint } from './flood-points.ts';
import type { Track } from './track.ts';
import { waterLevelAt } from './flood-points.ts';

/**
 * Water-level gauges at the scenario's flood points (易涝点积水监测), as sensors of the IoT platform: id
 * `WL-<point id>`, depth in cm from the ponding model (`waterLevelAt`, to 0.1 cm), with the point's warning and alarm
 * thresholds. They read on the 5-minute clock the model integrates on (phase 0), so every reading is the model's
 * own value at that instant.
 */
export function floodGauges(track: Track, points: readonly FloodPoint[]): SimSensor[] {
  return points.map((p) => ({
    id: `WL-${p.id}`,
    kind: 'water_level',
    name: `${p.name.zh} 积水监测`.slice(0, 64),
    district: p.district,
    position: p.position,
    unit: 'cm',
    warning: p.thresholdsCm.warning,
    alarm: p.thresholdsCm.alarm,
    phaseMs: 0,
    read: (t: number) => ({ value: Math.round(waterLevelAt(track, p, t) * 10) / 10 }),
  }));
}
