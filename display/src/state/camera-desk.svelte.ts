import {
  cameraRegistry,
  nearestCameras,
  traceRange,
  type CameraSpec,
  type Case,
  type NearCamera,
  type PlaybackRange,
} from '@egret/protocol';
import type { MapHit } from '../map/deck-attachment.svelte.ts';
import type { CameraLayersInput } from '../map/layers/cameras.ts';
import type { CommandDesk } from './command-desk.svelte.ts';
import type { ScreenState } from './screen.svelte.ts';

/** What the console watches: a camera's live view, or its recording over a range (视频追溯). */
export interface Watching {
  camera: CameraSpec;
  range?: PlaybackRange;
}

/**
 * The console's cameras: the registry in force (the city's config with the platform's registrations over it), the
 * ones near a case, the one watched at the desk, and 推屏 of a camera to every wall (`wall:video`, through the log).
 */
export class CameraDesk {
  /** How far from a case the list looks, and how many it shows. */
  readonly nearM = 1_500;
  readonly nearCount = 5;
  watching = $state<Watching | null>(null);

  readonly #screen: () => ScreenState;
  readonly #desk: () => CommandDesk;

  constructor(screen: () => ScreenState, desk: () => CommandDesk) {
    this.#screen = screen;
    this.#desk = desk;
  }

  readonly registry = $derived.by(() => {
    const s = this.#screen();
    return cameraRegistry(s.config.video?.cameras ?? [], s.world.cameras);
  });
  /** Cameras the walls show now. */
  readonly onWall = $derived.by(
    // A new set per change of the windows, never mutated: plain is enough.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    () => new Set(this.#screen().world.videos.map((v) => v.cameraId)) as ReadonlySet<string>,
  );
  /** The map's camera layers: every camera, the watched one and those on the walls ringed. */
  readonly layer = $derived.by((): Omit<CameraLayersInput, 'visible'> => {
    const marked = this.registry.filter((c) => this.onWall.has(c.id) || c.id === this.watching?.camera.id);
    return { cameras: this.registry, marked };
  });

  /** Whether the walls show this camera's live view (no range) or this recording. */
  shows(cameraId: string, range?: PlaybackRange): boolean {
    return this.#screen().world.videos.some(
      (v) => v.cameraId === cameraId && v.playback?.start === range?.start && v.playback?.end === range?.end,
    );
  }

  /** The cameras nearest a case, nearest first, with their distance. */
  near(c: Case | null): NearCamera[] {
    return c ? nearestCameras(this.registry, c.position, this.nearCount, this.nearM) : [];
  }

  /** A click on the map: a camera opens here (true), anything else is not ours (false). */
  picked(hit: MapHit | null): boolean {
    if (hit?.layer !== 'cameras') return false;
    this.watch(hit.object as CameraSpec);
    return true;
  }

  watch(camera: CameraSpec): void {
    this.watching = { camera };
  }

  /** 视频追溯: the recording around the case's report time. */
  trace(camera: CameraSpec, c: Case): void {
    this.watching = { camera, range: traceRange(c.reportedAt) };
  }

  readonly busy = (cameraId: string): boolean => this.#desk().busy(`video:${cameraId}`);

  /** 推屏 of a camera (its live view, or the recording over `range`), or its window closed, on every wall. */
  toWall(camera: CameraSpec, open: boolean, range?: PlaybackRange): void {
    void this.#desk().run(`video:${camera.id}`, 'wall:video', {
      cameraId: camera.id,
      action: open ? 'open' : 'close',
      ...(open && range ? { playback: range } : {}),
    });
  }
}
