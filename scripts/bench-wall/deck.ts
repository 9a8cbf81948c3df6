/**
 * The bare deck.gl baseline of `npm run bench:wall`: one ScatterplotLayer of the hub's units, positions straight
 * from a typed array (`data.attributes`), redrawn once per frame received as fast as drawing allows. No basemap, no
 * other layers, no panels: what deck.gl alone costs per redraw.
 */
import { Deck, MapView } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import { coalesce, followFrames, type BenchHook } from './feed.ts';

const params = new URLSearchParams(location.search);
const bbox = (params.get('bbox') ?? '117.9,24.4,118.4,24.8').split(',').map(Number);
const [w = 0, s = 0, e = 0, n = 0] = bbox;
let version = 0;
const deck = new Deck({
  parent: document.getElementById('map') as HTMLDivElement,
  views: [new MapView({ id: 'map', repeat: false })],
  viewState: { map: { longitude: (w + e) / 2, latitude: (s + n) / 2, zoom: 10.5 } },
  controller: false,
  useDevicePixels: 1,
  onAfterRender: () => pacing.drawn(),
});
const pacing = coalesce(() => {
  version++;
  deck.setProps({
    layers: [
      new ScatterplotLayer({
        id: 'units',
        data: { length: feed.length, attributes: { getPosition: { value: feed.positions, size: 2 } } },
        getFillColor: [46, 204, 113, 255],
        getRadius: 3,
        radiusUnits: 'pixels',
        updateTriggers: { getPosition: version },
      }),
    ],
  });
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
