import type { InputMessage } from '@egret/protocol';

/**
 * Where the simulator's output goes: the contract's two input streams. The Redis publisher is the only
 * implementation; the interface keeps the loop free of Redis so it reads as what it does.
 */
export interface Publisher {
  /** Appends control-plane messages to `in:events`, in order; resolves once all are written. */
  events(messages: readonly InputMessage[]): Promise<void>;
  /** Appends FixBatch JSON entries to `in:positions`. */
  fixes(batches: readonly string[]): Promise<void>;
}

/** Counters a publisher keeps for the log line. */
export interface PublishStats {
  events: number;
  fixBatches: number;
  retries: number;
  /** Fix batches given up after their retries (a newer fix supersedes them a second later). */
  droppedFixBatches: number;
}
