import client from 'prom-client';

/**
 * The hub's Prometheus metrics. One registry per app, so several hubs built in one test process never collide.
 * Gauges that need a live reading (log head, screens) are filled by the app through `setCollectors`.
 */
export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const collectors: {
    logHead?: () => Promise<number>;
    mirrorSeq?: () => number;
    screens?: () => { screens: number; positionStreams: number };
  } = {};

  const ingestEntries = new client.Counter({
    name: 'egret_ingest_entries_total',
    help: 'Input stream entries handled, by stream and result (applied, noop, already_applied, rejected).',
    labelNames: ['stream', 'result'] as const,
    registers,
  });
  const deadletters = new client.Counter({
    name: 'egret_deadletter_total',
    help: 'Inputs dead-lettered by this hub, by reason.',
    labelNames: ['reason'] as const,
    registers,
  });
  const logSeq = new client.Gauge({
    name: 'egret_log_seq',
    help: 'Last log sequence number applied to this hub’s mirror.',
    registers,
    collect() {
      if (collectors.mirrorSeq) this.set(collectors.mirrorSeq());
    },
  });
  const logLag = new client.Gauge({
    name: 'egret_log_lag_events',
    help: 'Log head (last seq handed out in Redis) minus the last seq applied to this hub’s mirror.',
    registers,
    async collect() {
      if (!collectors.logHead || !collectors.mirrorSeq) return;
      try {
        this.set(Math.max(0, (await collectors.logHead()) - collectors.mirrorSeq()));
      } catch {
        /* Redis unreachable: /readyz says so; keep the last value */
      }
    },
  });
  const screens = new client.Gauge({
    name: 'egret_screens_connected',
    help: 'Screens (Socket.IO connections) on this hub, not counting the position streams of their workers.',
    registers,
    collect() {
      if (collectors.screens) this.set(collectors.screens().screens);
    },
  });
  const positionStreams = new client.Gauge({
    name: 'egret_position_streams_connected',
    help: 'Positions-only connections on this hub (a screen’s Web Worker receiving the position frames).',
    registers,
    collect() {
      if (collectors.screens) this.set(collectors.screens().positionStreams);
    },
  });
  const fannedOut = new client.Counter({
    name: 'egret_events_fanned_out_total',
    help: 'Log events sent to live screens (one per event per broadcast).',
    registers,
  });
  const screensStalled = new client.Counter({
    name: 'egret_screens_stalled_total',
    help: 'Screens disconnected because they stopped reading (their write buffer overflowed); each resumes later.',
    registers,
  });
  const commitConflicts = new client.Counter({
    name: 'egret_commit_conflicts_total',
    help: 'Commits refused because an entity changed since it was read (retried).',
    registers,
  });

  return {
    registry,
    ingestEntries,
    deadletters,
    logSeq,
    logLag,
    screens,
    positionStreams,
    fannedOut,
    screensStalled,
    commitConflicts,
    setCollectors(c: typeof collectors) {
      Object.assign(collectors, c);
    },
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
