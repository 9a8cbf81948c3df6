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

/**
 * After a fallback the page tries its worker again (a wall runs for weeks: one proxy hiccup must not leave it on the
 * main thread's frames for good): first after this long, then twice as long after each try that did not take the
 * frames back, at most {@link POSITIONS_RETRY_MAX_MS}.
 */
export const POSITIONS_RETRY_MS = 30_000;
export const POSITIONS_RETRY_MAX_MS = 10 * 60_000;

/** How long after a fallback the next try starts, `failedTries` tries having failed since. */
export function retryDelay(failedTries: number): number {
  return Math.min(POSITIONS_RETRY_MAX_MS, POSITIONS_RETRY_MS * 2 ** failedTries);
}

export interface TrialFacts {
  /** The worker on trial has its socket up. */
  connected: boolean;
  /** World time of the newest frame in its batch. */
  batchAt: number;
  /** World time of the newest frame the page has applied (null: none yet). */
  appliedAt: number | null;
}

/**
 * Whether a worker on trial takes the frames back with this batch: its socket up, and the batch as new as anything
 * the main socket gave. Then no unit steps back: a slot in the batch holds its latest fix up to the batch's frame,
 * and a slot not in it did not move since the worker's last hand-over, which the main socket applied.
 */
export function takesFramesBack({ connected, batchAt, appliedAt }: TrialFacts): boolean {
  return connected && (appliedAt === null || batchAt >= appliedAt);
}

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
  /** The worker has them again: the main socket is to ask for none and drop any that still come (`giveFrames`). */
  onResume?(): void;
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

/** A worker the page started: on duty (its batches are the units' frames) or on trial (the main socket has them). */
interface Run {
  worker: WorkerLike;
  role: 'duty' | 'trial';
  failed: boolean;
  /** A trial's socket is up. */
  connected: boolean;
  startedAt: number;
  /** When it went on duty, and whether it took the frames back from a trial (not the page's first). */
  dutySince: number;
  resumed: boolean;
}

/**
 * The page's side of the positions worker: starts it, applies its batches to the units store (and says "ready" for
 * the next), keeps the link's picture of its socket, and falls back to the main socket when it dies or its socket
 * stays down. After a fallback it tries a new worker now and then ({@link retryDelay}): on trial, its batches are
 * dropped while the main socket's frames are applied, until one is as new as they are ({@link takesFramesBack});
 * then it is on duty and the main socket gives the frames up. With no worker at all the frames stay on the main
 * socket.
 */
export function startPositionsLink(deps: PositionsLinkDeps): PositionsLink {
  const { units, link } = deps;
  const now = deps.realNow ?? Date.now;
  const makeWorker = deps.makeWorker ?? positionsWorker;
  const first = makeWorker();
  if (!first) return { elsewhere: () => false, close: () => {} };

  let run: Run | null = null;
  let closed = false;
  /** The last check that saw the main socket down. */
  let mainDownAt: number | null = null;
  /**
   * Tries that did not last: trials that did not take the frames back, and workers that did but lost their socket
   * within {@link POSITIONS_RETRY_MAX_MS} (a proxy that drops the stream after a while must not cost the units a
   * fallback's wait every minute). Reset by a worker that stayed on duty longer.
   */
  let failedTries = 0;
  let retry: ReturnType<typeof setTimeout> | null = null;

  const check = () => {
    if (!run || closed) return;
    const t = now();
    if (!link.connected) mainDownAt = t;
    if (run.role === 'trial') {
      // A trial that failed, or whose socket did not catch up within the fallback's wait, ends; the next comes later.
      if (run.failed || (link.connected && t - Math.max(run.startedAt, mainDownAt ?? 0) > POSITIONS_FALLBACK_MS)) {
        stop();
        failedTries++;
        scheduleRetry();
      }
      return;
    }
    const facts = {
      failed: run.failed,
      downSince: link.positionsDownSince,
      mainConnected: link.connected,
      mainDownAt,
      now: t,
    };
    if (!fallBackToMain(facts)) return;
    const { failed, dutySince, resumed } = run;
    stop();
    framesOnMain();
    link.positionsFallback = failed
      ? 'worker failed'
      : `socket down ${Math.round((facts.now - facts.downSince!) / 1000)} s`;
    deps.onFallback();
    if (t - dutySince >= POSITIONS_RETRY_MAX_MS) failedTries = 0;
    else if (resumed) failedTries++;
    scheduleRetry();
  };
  const timer = setInterval(check, 1_000);

  function stop(): void {
    if (!run) return;
    run.worker.onmessage = null;
    run.worker.onerror = null;
    run.worker.terminate();
    run = null;
  }

  /** The link's picture once the main socket has the frames. */
  function framesOnMain(): void {
    link.positionsVia = 'main';
    link.positionsDownSince = null;
  }

  function scheduleRetry(): void {
    retry = setTimeout(() => {
      retry = null;
      if (closed) return;
      const worker = makeWorker();
      if (worker) begin(worker, 'trial');
      else {
        failedTries++;
        scheduleRetry();
      }
    }, retryDelay(failedTries));
  }

  function takeOver(r: Run): void {
    r.role = 'duty';
    r.dutySince = now();
    r.resumed = true;
    link.positionsVia = 'worker';
    link.positionsDownSince = null;
    link.positionsEverUp = true;
    link.positionsResumed++;
    deps.onResume?.();
  }

  function begin(worker: WorkerLike, role: Run['role']): void {
    const t = now();
    const r: Run = { worker, role, failed: false, connected: false, startedAt: t, dutySince: t, resumed: false };
    run = r;
    if (role === 'duty') {
      link.positionsVia = 'worker';
      link.positionsDownSince = t;
    }
    worker.onerror = () => failed(r);
    worker.onmessage = (e) => received(r, e.data);
    worker.postMessage({ type: 'start', url: deps.url });
  }

  function failed(r: Run): void {
    r.failed = true;
    check();
  }

  function received(r: Run, m: FromPositionsWorker): void {
    if (m.type === 'fatal') return failed(r);
    if (m.type === 'socket') {
      r.connected = m.connected;
      if (r.role === 'trial') return;
      if (m.connected) {
        link.positionsDownSince = null;
        link.positionsEverUp = true;
      } else link.positionsDownSince ??= now();
      return;
    }
    // A batch: on trial it is dropped (the main socket gave the same frames) unless it takes the frames back.
    const at = now();
    if (r.role === 'trial' && m.batch) {
      if (takesFramesBack({ connected: r.connected, batchAt: m.batch.at, appliedAt: units.lastFrameAt })) takeOver(r);
    }
    if (r.role === 'duty') {
      units.badFrames += m.badFrames;
      if (m.batch) {
        units.applyBatch(m.batch, at);
        link.framesViaWorker += m.batch.frames;
        link.lastFrameAt = at;
        link.touch(at);
      }
    }
    r.worker.postMessage({ type: 'ready' });
  }

  begin(first, 'duty');

  return {
    elsewhere: () => run?.role === 'duty',
    close: () => {
      closed = true;
      clearInterval(timer);
      if (retry) clearTimeout(retry);
      const onDuty = run?.role === 'duty';
      stop();
      if (onDuty) framesOnMain();
    },
  };
}
