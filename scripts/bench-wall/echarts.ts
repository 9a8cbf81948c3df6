/**
 * The ECharts baseline of `npm run bench:wall`: a `large` scatter of the hub's units on canvas, its data the flat
 * [lon, lat] typed array itself (no per-point objects), redrawn once per frame received as fast as drawing allows.
 */
import * as echarts from 'echarts';
import { coalesce, followFrames, type BenchHook } from './feed.ts';

const params = new URLSearchParams(location.search);
const bbox = (params.get('bbox') ?? '117.9,24.4,118.4,24.8').split(',').map(Number);
const [w = 0, s = 0, e = 0, n = 0] = bbox;
const chart = echarts.init(document.getElementById('map') as HTMLDivElement, null, { renderer: 'canvas' });
chart.setOption({
  animation: false,
  backgroundColor: '#0b1420',
  grid: { left: 0, right: 0, top: 0, bottom: 0 },
  xAxis: { type: 'value', min: w, max: e, show: false },
  yAxis: { type: 'value', min: s, max: n, show: false },
  series: [
    {
      id: 'units',
      type: 'scatter',
      large: true,
      largeThreshold: 2_000,
      symbolSize: 5,
      itemStyle: { color: '#2ecc71' },
      dimensions: ['lon', 'lat'],
      data: new Float32Array(0),
    },
  ],
});
chart.on('finished', () => pacing.drawn());
const pacing = coalesce(() => {
  // A copy: ECharts keeps the array it is given as its store.
  chart.setOption({ series: [{ id: 'units', data: feed.positions.slice(0, feed.length * 2) }] });
});
const feed = followFrames(() => pacing.frame());
const hook: BenchHook = {
  get framesReceived() {
    return feed.framesReceived;
  },
  get redraws() {
    return pacing.redraws;
  },
  get connected() {
    return feed.connected;
  },
  get length() {
    return feed.length;
  },
};
(globalThis as unknown as { __bench: BenchHook }).__bench = hook;
