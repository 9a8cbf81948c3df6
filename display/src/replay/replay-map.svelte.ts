import type { Layer } from '@deck.gl/core';
import type { LivePositions } from '../map/layers/dispatch-lines.ts';
import { mapLayers } from '../map/layers/index.ts';
import type { City } from '../state/city.svelte.ts';
import { MapPicture, type PictureSource } from '../state/map-picture.svelte.ts';
import { stormHeadline } from '../state/storms.ts';
import type { UnitsPicture } from '../state/units.svelte.ts';
import type { WorldSource } from '../state/world-parts.svelte.ts';
import { heatBinMs, replayVisible } from './replay-overlays.ts';
import type { ReplaySession } from './replay-session.svelte.ts';

/**
 * A replay session as a map picture's source: its world, the positions replayed from history, and the replay
 * clock (units are as fresh as the position history says; the heat is re-counted once per bin of replay time).
 */
class ReplaySource implements PictureSource {
  constructor(private readonly session: ReplaySession) {}

  get world(): WorldSource {
    return this.session.view;
  }

  get now(): number {
    return this.session.mapT;
  }

  judgedAt = $derived.by(() => Math.floor(this.session.mapT / 1000) * 1000);
  recount = $derived.by(() => Math.floor(this.session.mapT / heatBinMs(this.session.speed)));

  get positions(): LivePositions {
    return this.session.units.positions;
  }

  unitsPicture = $derived.by((): UnitsPicture => {
    const { session } = this;
    void session.units.version;
    return session.units.picture(session.view.units.values(), session.paintClock());
  });
}

/**
 * The replay wall's map at the replay clock's time: the live wall's picture (`MapPicture`, the same derivation)
 * over the replayed world, the overlays as the walls had them switched then, and every unit's recent track under
 * the units. Derived only; the screen reads `layers` and the few figures its panels show.
 */
export class ReplayMap {
  readonly picture: MapPicture;

  constructor(
    private readonly session: ReplaySession,
    city: City,
  ) {
    this.picture = new MapPicture(city, new ReplaySource(session), {
      visible: () => replayVisible(session.view.mode, session.view.layers),
    });
  }

  /** Local midnight of the replayed day. */
  get dayFrom(): number {
    return this.picture.dayFrom;
  }

  get units(): UnitsPicture {
    return this.picture.input.units as UnitsPicture;
  }

  get sensors() {
    return this.picture.sensors;
  }

  /** The storm the badge names, if any. */
  storm = $derived.by(() => stormHeadline(this.picture.storms, this.session.t));

  /** The wall's layers, with every unit's recent track under the units. */
  layers = $derived.by((): Layer[] =>
    mapLayers({ ...this.picture.input, overlays: this.picture.overlays, tracks: this.session.trails }),
  );
}
