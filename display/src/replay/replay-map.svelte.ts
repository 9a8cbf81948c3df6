import type { Layer } from '@deck.gl/core';
import { untrack } from 'svelte';
import type { LivePositions } from '../map/layers/dispatch-lines.ts';
import { mapLayers } from '../map/layers/index.ts';
import type { City } from '../state/city.svelte.ts';
import { MapPicture, type PictureSource } from '../state/map-picture.svelte.ts';
import { stormHeadline } from '../state/storms.ts';
import type { UnitsPicture } from '../state/units.svelte.ts';
import type { WorldSource } from '../state/world-parts.svelte.ts';
import { ChainedVersions } from './picture-versions.ts';
import { heatBinMs, replayVisible } from './replay-overlays.ts';
import type { ReplaySession } from './replay-session.svelte.ts';

/**
 * A replay session as a map picture's source: its world, the positions replayed from history, and the replay
 * clock (units are as fresh as the position history says; the heat is re-counted once per bin of replay time).
 */
class ReplaySource implements PictureSource {
  readonly world: WorldSource;

  constructor(private readonly session: ReplaySession) {
    this.world = new MapWorld(session);
  }

  get now(): number {
    return this.session.mapT;
  }

  judgedAt = $derived.by(() => Math.floor(this.session.mapT / 1000) * 1000);
  private heatBin = $derived.by(() => Math.floor(this.session.mapT / heatBinMs(this.session.speed)));
  private recounts = 0;
  /** A new heat bin of replay time, or a seek's finished part in (today's closed cases are in the heat: `heatFor`). */
  recount = $derived.by(() => {
    void this.heatBin;
    void this.session.heatFor;
    return ++this.recounts;
  });

  get positions(): LivePositions {
    return this.session.units.positions;
  }

  /** Each seek's units store counts its pictures from 1 again: the map gets one increasing count (./picture-versions.ts). */
  private readonly versions = new ChainedVersions();

  unitsPicture = $derived.by((): UnitsPicture => {
    const { session } = this;
    void session.units.version;
    const picture = session.units.picture(session.view.units.values(), session.paintClock());
    return { ...picture, version: this.versions.of(session.units, picture.version) };
  });
}

/**
 * The replayed world as the map reads it: the session's, except that a seek's finished part coming in is not a
 * change of its cases or tasks. Finished cases and ended tasks draw nothing but the heat (re-counted by `recount`),
 * so the map keeps its picture — the same arrays, nothing re-derived, no draw — while the panels count them.
 */
export class MapWorld implements WorldSource {
  constructor(private readonly session: ReplaySession) {}

  #cases = $derived.by(() => this.session.view.changes('cases') - this.session.finishedIn);
  #tasks = $derived.by(() => this.session.view.changes('tasks') - this.session.finishedIn);

  get cases() {
    void this.#cases;
    return untrack(() => this.session.view.cases);
  }
  get tasks() {
    void this.#tasks;
    return untrack(() => this.session.view.tasks);
  }
  get units() {
    return this.session.view.units;
  }
  get storms() {
    return this.session.view.storms;
  }
  get sensors() {
    return this.session.view.sensors;
  }
  get clock() {
    return this.session.view.clock;
  }
  get mode() {
    return this.session.view.mode;
  }
  get layers() {
    return this.session.view.layers;
  }
  get focus() {
    return this.session.view.focus;
  }
  get plans() {
    return this.session.view.plans;
  }
  get inspections() {
    return this.session.view.inspections;
  }
  get prepositions() {
    return this.session.view.prepositions;
  }
  get supervisions() {
    return this.session.view.supervisions;
  }
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
    private readonly city: City,
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

  /**
   * The wall's layers, with every unit's recent track under the units, over the same base as the wall's: the city's
   * tiles when it has them, else the outline map with its fixed links (whose path layer also has SwiftShader compile
   * deck.gl's path pipeline at the first draw, not at the first tracks').
   */
  layers = $derived.by((): Layer[] => {
    const { basemap, crossings } = this.city.config;
    return mapLayers({
      ...this.picture.input,
      overlays: this.picture.overlays,
      tracks: this.session.trails,
      ...(basemap ? { basemap: { info: basemap, variant: 'dark' } } : {}),
      crossings,
      crossingName: this.city.i18n.name,
    });
  });
}
