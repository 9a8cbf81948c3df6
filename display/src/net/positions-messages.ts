import type { PositionBatch } from '../state/unit-positions.ts';

/** The page to its positions worker (net/positions-worker.ts). */
export type ToPositionsWorker =
  /** Connect to the hub at `url` (the page's origin). */
  | { type: 'start'; url: string }
  /** The last batch is applied: send the next as soon as there is one. */
  | { type: 'ready' };

/** The positions worker to the page. */
export type FromPositionsWorker =
  /** Frames merged since the last batch (null when only bad frames came), and the frames it could not decode. */
  | { type: 'batch'; batch: PositionBatch | null; badFrames: number }
  /** Its socket's state. */
  | { type: 'socket'; connected: boolean }
  /** It gave up (the hub refused its socket): the page takes the frames on its main socket. */
  | { type: 'fatal'; message: string };
