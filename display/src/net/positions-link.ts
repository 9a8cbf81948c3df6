import type { LinkStore } from '../state/link.svelte.ts';
import type { UnitsStore } from '../state/units.svelte.ts';
import type { FromPositionsWorker, ToPositionsWorker } from './positions-messages.ts';

/**
 * How long the worker's socket may stay down while the page's main socket is up before the page takes the frames
 * on its main socket instead: a worker whose WebSocket never gets through (a proxy, a blocked port) must not leave
 * the units frozen for good. Not shorter: on a loaded 2-core PC at 50,000 units the worker's first connect took over
 * 10 s in the bench (load 9), and a fallback then only puts the frames back on the main thread.
 */
export const POSITIONS_FALLBACK_MS = 30_000;

/** What of a Worker this needs (a test gives a stand-in). */
export interface WorkerLike {
  postMessage(message: ToPositionsWorker): void;
  onmessage: ((e: MessageEvent<FromPositionsWorker>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
  terminate(): void;
}

/** `?positions=main` (any letter case): the frames come on the page's main socket, as before (the baseline). */
export function positionsOnMain(search: string): boolean {
  return new URLSearchParams(search).get('positions')?.trim().toLowerCase() === 'main';
}

export interface StreamFacts {
  /** The worker could not start, threw, or gave up (the hub refused its socket). */
  failed: boolean;
  /** Real time its socket went down (or started connecting); null while connected. */
  downSince: number | null;
  mainConnected: boolean;
  /**
   * Real time the main socket was last seen down (null: not seen down): the wait counts from its return, so a hub
   * away longer than the wait does not make a page whose main socket reconnects first give up its worker.
   */
  mainDownAt?: number | null;
  now: number;
}

/**
 * Whether the page should take the frames on its main socket now. A dead worker: at once. A worker whose socket
 * stays down while the main socket is up: after {@link POSITIONS_FALLBACK_MS}. With both down the hub is away: the
 * worker reconnects as the main socket does.
 */
export function fallBackToMain({ failed, downSince, mainConnected, mainDownAt = null, now }: StreamFacts): boolean {
  if (failed) return true;
  if (downSince === null || !mainConnected) return false;
  return now - Math.max(downSince, mainDownAt ?? downSince) > POSITIONS_FALLBACK_MS;
}

export interface PositionsLinkDeps {
  units: UnitsStore;
  link: LinkStore;
  /** The hub's origin (the page's by default). */
  url: string;
  realNow?: () => number;
  /** The worker, or undefined when none can start here; by default the module worker ./positions-worker.ts. */
  makeWorker?: () => WorkerLike | undefined;
  /** The frames are to come on the main socket from now on (hub-client's `takeFrames`). */
  onFallback(): void;
}

export interface PositionsLink {
  /** Whether the frames come through the worker: the main socket then asks for none (`positions: false`). */
  elsewhere(): boolean;
  close(): void;
}

/** The module worker, or undefined where module workers are missing (Firefox before 114) or refused (a CSP). */
export function positionsWorker(): WorkerLike | undefined {
  if (typeof Worker === 'undefined') return undefined;
  try {
    return new Worker(new URL('./positions-worker.ts', import.meta.url), { type: 'module' }) as WorkerLike;
  } catch {
    return undefined;
  }
}

/**
 * The page's side of the positions worker: starts it, applies its batches to the units store (and says "ready" for
 * the next), keeps the link's picture of its socket, and falls back to the main socket when it dies or its socket
 * stays down. With no worker at all the frames simply stay on the main socket.
 */
export function startPositionsLink(deps: PositionsLinkDeps): PositionsLink {
  const { units, link } = deps;
  const now = deps.realNow ?? Date.now;
  const worker = (deps.makeWorker ?? positionsWorker)();
  if (!worker) return { elsewhere: () => false, close: () => {} };

  let active = true;
  let failed = false;
  /** The last check that saw the main socket down. */
  let mainDownAt: number | null = null;
  link.positionsVia = 'worker';
  link.positionsDownSince = now();

  const check = () => {
    if (!active) return;
    const t = now();
    if (!link.connected) mainDownAt = t;
    const facts = { failed, downSince: link.positionsDownSince, mainConnected: link.connected, mainDownAt, now: t };
    if (!fallBackToMain(facts)) return;
    stop();
    link.positionsFallback = failed
      ? 'worker failed'
      : `socket down ${Math.round((facts.now - facts.downSince!) / 1000)} s`;
    deps.onFallback();
  };
  const timer = setInterval(check, 1_000);

  function stop(): void {
    active = false;
    clearInterval(timer);
    worker!.onmessage = null;
    worker!.onerror = null;
    worker!.terminate();
    link.positionsVia = 'main';
    link.positionsDownSince = null;
  }

  worker.onerror = () => {
    failed = true;
    check();
  };
  worker.onmessage = (e) => {
    const m = e.data;
    if (m.type === 'batch') {
      const t = now();
      units.badFrames += m.badFrames;
      if (m.batch) {
        units.applyBatch(m.batch, t);
        link.framesViaWorker += m.batch.frames;
        link.lastFrameAt = t;
        link.touch(t);
      }
      worker.postMessage({ type: 'ready' });
    } else if (m.type === 'socket') {
      if (m.connected) {
        link.positionsDownSince = null;
        link.positionsEverUp = true;
      } else link.positionsDownSince ??= now();
    } else {
      failed = true;
      check();
    }
  };
  worker.postMessage({ type: 'start', url: deps.url });

  return {
    elsewhere: () => active,
    close: () => {
      if (active) stop();
    },
  };
}
