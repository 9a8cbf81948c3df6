import client from 'prom-client';

/** The position path's counters, registered once per registry (several hubs in one test share nothing else). */
export interface PositionMetrics {
  fixes: client.Counter<'result'>;
  entries: client.Counter<'result'>;
  frames: client.Counter;
  frameBytes: client.Counter;
  ticks: client.Counter;
  leader: client.Gauge;
  keyframes: client.Counter;
  /** The hub's `egret_deadletter_total` (server/src/metrics.ts), shared by name: positions dead letters count there too. */
  deadletters: client.Counter<'reason'>;
}

export function positionMetrics(registry: client.Registry): PositionMetrics {
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    (registry.getSingleMetric(name) as client.Counter<L> | undefined) ??
    new client.Counter<L>({ name, help, labelNames, registers: [registry] });
  return {
    fixes: counter(
      'egret_position_fixes_total',
      'Position fixes read, by result: applied, coalesced, out_of_order, unknown_unit, far_future',
      ['result'],
    ),
    entries: counter(
      'egret_position_entries_total',
      'Positions-stream entries read, by result: ok or the reason the whole entry was dead-lettered',
      ['result'],
    ),
    frames: counter('egret_frames_total', 'Position frames forwarded to this hub’s screens'),
    frameBytes: counter(
      'egret_frame_bytes_total',
      'Bytes of position frames offered to screens (frame size × screens connected; volatile: a busy screen skips)',
    ),
    ticks: counter('egret_ticks_total', 'Position ticks published by this hub while it held the ticker lease'),
    leader:
      (registry.getSingleMetric('egret_ticker_leader') as client.Gauge | undefined) ??
      new client.Gauge({
        name: 'egret_ticker_leader',
        help: '1 while this hub holds the position ticker lease',
        registers: [registry],
      }),
    keyframes: counter('egret_keyframes_total', 'Keyframes (every unit’s position) sent to single screens'),
    deadletters: counter('egret_deadletter_total', 'Inputs dead-lettered by this hub, by reason.', ['reason']),
  };
}
