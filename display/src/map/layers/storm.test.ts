import { describe, expect, it } from 'vitest';
import { aCase, aSensor, aStorm } from '../../../test/fixtures.ts';
import { MapLayer } from '@egret/protocol';
import { sensorPicture } from '../sensor-picture.ts';
import { THEME, type Rgba } from '../../theme.ts';
import type { Boundaries } from '../boundaries.ts';
import { stormPicture } from '../storm-picture.ts';
import { mapLayers } from './index.ts';
import { glyphOf, SENSOR_ALARM_RING, sensorLayers } from './sensors.ts';
import { stormLayers } from './storm.ts';
import { visibilityOf, type LayerVisibility } from './wall-overlays.ts';

const boundaries: Boundaries = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { code: '350213' },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [118.2, 24.5],
            [118.4, 24.5],
            [118.4, 24.7],
            [118.2, 24.7],
            [118.2, 24.5],
          ],
        ],
      },
    },
  ],
};
const picture = (storms = [aStorm({ center: [118.3, 24.45] })]) =>
  stormPicture(storms, {
    boundaries,
    extent: [117.85, 24.38, 118.46, 24.92],
    cityCenter: [118.12, 24.56],
    labelOf: () => 'label',
    pointerText: () => 'far',
  });
const sensors = (list = [aSensor(), aSensor({ id: 'WL-2', level: 'alarm', value: 44 })]) =>
  sensorPicture(list, { labelAllGauges: false, readingOf: (s) => `${s.value} ${s.unit}` });
/** A layer's props, untyped: the layer lists are typed as plain `Layer`s. */
const props = (l: { props: unknown }) => l.props as Record<string, unknown>;
const call = (accessor: unknown, d: unknown) =>
  (accessor as (d: unknown, o: unknown) => unknown)(d, { index: 0, data: [], target: [] });

describe(stormLayers.name, () => {
  it('builds the same layers with stable ids whether or not a storm is reported, without touching a GPU', () => {
    const ids = (p = picture()) => {
      const l = stormLayers({ picture: p, visible: true });
      return [...l.areas, ...l.lines, ...l.marks].map((x) => x.id);
    };
    expect(ids()).toEqual([
      'storm-damage',
      'storm-wind-radii',
      'storm-cone',
      'storm-forecast',
      'storm-forecast-fixes',
      'storm-track',
      'storm-track-fixes',
      'storm-centre',
      'storm-pointer',
      'storm-labels',
    ]);
    expect(ids(picture([]))).toEqual(ids());
  });

  it('draws the wind circles at their size on the ground, in metres', () => {
    const p = picture();
    const radii = stormLayers({ picture: p, visible: true }).areas.find((l) => l.id === 'storm-wind-radii')!;
    expect(props(radii).radiusUnits).toBe('meters');
    expect(radii.props.data).toBe(p.windCircles);
    expect(call(props(radii).getRadius, p.windCircles[0])).toBe(220_000);
    expect(call(props(radii).getLineColor, p.windCircles[2])).toEqual(THEME.storm.radii.r12.line);
  });

  it('passes the picture’s arrays through untouched, so a rebuilt layer list re-uploads nothing', () => {
    const p = picture();
    const a = stormLayers({ picture: p, visible: true });
    const b = stormLayers({ picture: p, visible: true });
    expect(b.lines.map((l) => l.props.data)).toEqual(a.lines.map((l) => l.props.data));
    expect(b.lines[2]!.props.data).toBe(p.legs);
  });

  it('hides every layer when switched off, and the empty ones always', () => {
    const off = stormLayers({ picture: picture(), visible: false });
    expect([...off.areas, ...off.lines, ...off.marks].every((l) => l.props.visible === false)).toBe(true);
    const on = stormLayers({ picture: picture(), visible: true });
    const visible = Object.fromEntries([...on.areas, ...on.lines, ...on.marks].map((l) => [l.id, l.props.visible]));
    // The centre is in view: no pointer. The force-10 circle reaches the one district.
    expect(visible).toMatchObject({
      'storm-pointer': false,
      'storm-centre': true,
      'storm-damage': true,
      'storm-cone': true,
    });
  });
});

describe(sensorLayers.name, () => {
  it('marks gauges with a diamond and other sensors with a square, coloured by level, alarms ringed in red', () => {
    const p = sensors([
      aSensor(),
      aSensor({ id: 'N1', kind: 'noise', level: 'warning', value: 78, unit: 'dB(A)' }),
      aSensor({ id: 'WL-2', level: 'alarm', value: 44 }),
    ]);
    const [alarms, markers, labels] = sensorLayers({ picture: p, visible: true });
    expect([alarms!.id, markers!.id, labels!.id]).toEqual(['sensor-alarms', 'sensors', 'sensor-labels']);
    expect(alarms!.props.data).toEqual([p.markers[2]]);
    expect(props(alarms!).getLineColor).toEqual(SENSOR_ALARM_RING);
    expect(p.markers.map(glyphOf)).toEqual(['◆', '■', '◆']);
    expect(call(props(markers!).getColor, p.markers[2])).toEqual(THEME.sensorLevel.alarm);
    expect(labels!.props.data).toBe(p.labels);
    expect(p.labels.map((l) => l.text)).toEqual(['44 cm', '78 dB(A)']);
  });

  it('hides the alarm ring while nothing is in alarm', () => {
    const [alarms] = sensorLayers({ picture: sensors([aSensor()]), visible: true });
    expect(alarms!.props.visible).toBe(false);
  });
});

describe('mapLayers with storms and sensors', () => {
  const units = {
    length: 0,
    positions: new Float32Array(0),
    colors: new Uint8Array(0),
    lineColors: new Uint8Array(0),
    radii: new Float32Array(0),
    version: 1,
  };
  const colour = (): Rgba => [1, 2, 3, 255];
  // The switches as each mode sets them by default (state/modes.test.ts checks the modes themselves).
  const all = new Set(MapLayer.options);
  const defaults: Record<string, LayerVisibility> = {
    peacetime: visibilityOf(new Set([...all].filter((k) => k !== 'heat' && k !== 'grid'))),
    typhoon: visibilityOf(new Set([...all].filter((k) => k !== 'grid'))),
    major_event: visibilityOf(new Set([...all].filter((k) => k !== 'grid'))),
  };
  const overlays = (mode: string) => ({
    visible: defaults[mode]!,
    today: [aCase()],
    overdue: [],
    fresh: [],
    pulsePhase: 0,
    trail: { path: [], version: 0 },
  });
  const build = (mode: string, chosen: LayerVisibility | null = null) =>
    mapLayers({
      boundaries,
      labels: [],
      cases: [],
      caseColor: colour,
      units,
      storm: picture(),
      sensors: sensors(),
      overlays: chosen ? { ...overlays(mode), visible: chosen } : overlays(mode),
    });

  it('puts the storm’s areas over the base map, its lines under the cases, sensors over them, its centre over the units', () => {
    expect(build('typhoon').map((l) => l.id)).toEqual([
      'sea',
      'district-fill',
      'coastline',
      'district-edge',
      'fixed-links',
      'storm-damage',
      'storm-wind-radii',
      'storm-cone',
      'case-heat',
      'storm-forecast',
      'storm-forecast-fixes',
      'storm-track',
      'storm-track-fixes',
      'cases',
      'case-overdue',
      'case-pulse',
      'sensor-alarms',
      'sensors',
      'sensor-labels',
      'unit-trail',
      'units',
      'storm-centre',
      'storm-pointer',
      'storm-labels',
      'district-labels',
    ]);
  });

  it('shows the storm and the sensors in every mode, and hides them with their switches', () => {
    for (const mode of ['peacetime', 'typhoon', 'major_event']) {
      const v = Object.fromEntries(build(mode).map((l) => [l.id, l.props.visible !== false]));
      expect(v, mode).toMatchObject({
        'storm-wind-radii': true,
        'storm-track': true,
        sensors: true,
        'sensor-alarms': true,
      });
    }
    const off = Object.fromEntries(
      build('typhoon', visibilityOf(new Set(['units']))).map((l) => [l.id, l.props.visible !== false]),
    );
    expect(off).toMatchObject({ 'storm-wind-radii': false, 'storm-cone': false, sensors: false, units: true });
  });

  it('leaves them out where no picture is given (the replay screen)', () => {
    const ids = mapLayers({ boundaries, labels: [], cases: [], caseColor: colour, units }).map((l) => l.id);
    expect(ids.some((id) => id.startsWith('storm') || id.startsWith('sensor'))).toBe(false);
  });
});
