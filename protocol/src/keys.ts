/**
 * The Redis key layout: the integration contract upstream systems write to, and the hub's own state.
 * Every key carries the same hash tag `{ns}` so that the atomic scripts touching several of them stay legal on
 * Redis Cluster (one slot for one city). Tests pass their own namespace so they can share one server.
 */
export function redisKeys(ns = 'egret') {
  const p = `{${ns}}`;
  return {
    /** Control-plane input: cases, unit registrations and status, task updates from the field. Field `data`: JSON. */
    inEvents: `${p}:in:events`,
    /** Batched GPS fixes from patrol gateways. Field `data`: JSON `{ fixes: Fix[] }`. */
    inPositions: `${p}:in:positions`,
    /** Consumer group every hub joins on both input streams: each entry is handled once across hubs. */
    ingestGroup: 'hubs',
    /** Rejected input, one entry per rejection: `stream`, `entryId`, `reason`, `data` (the raw entry, truncated). */
    deadletter: `${p}:deadletter`,
    /** Counter of dead-lettered entries by reason class (hash). Survives hub restarts, unlike process metrics. */
    deadletterCounts: `${p}:deadletter:counts`,
    /** The ordered history: one normalized domain event per entry, stream id `<seq>-0`, field `e`: JSON. */
    log: `${p}:log`,
    /** Last sequence number handed out for the log. */
    logSeq: `${p}:log:seq`,
    /** Live entities as JSON strings, id → JSON. */
    cases: `${p}:cases`,
    units: `${p}:units`,
    tasks: `${p}:tasks`,
    /** Storms the meteorological feed reports: id → Storm JSON. */
    storms: `${p}:storms`,
    /** IoT sensors with their latest reading (fresher than the log, which keeps only some readings): id → Sensor JSON. */
    sensors: `${p}:sensors`,
    /** Cameras the video platform registered or removed (tombstones): id → Camera JSON. */
    cameras: `${p}:cameras`,
    /** Plans of the command manual (issue #17): plan id → activation JSON (with the hub's `id` and `version`). */
    plans: `${p}:plans`,
    /** Inspections of plans' rounds and pre-position orders: id → JSON (with the hub's `version`). */
    inspections: `${p}:inspections`,
    prepositions: `${p}:prepositions`,
    /** Input entry ids already applied (sorted set scored by apply time): makes a re-claimed entry a no-op. */
    applied: `${p}:applied`,
    /** Command idempotency keys → result JSON (hash; trimmed with the applied set). */
    idempotency: `${p}:idem`,
    /** Latest fix per unit: unitId → `lon,lat,at` (server/src/positions/stored-fix.ts). No GEO index: nothing read it. */
    positions: `${p}:pos:latest`,
    /** Units whose fix changed since the last tick (set drained by the ticker). */
    positionsDirty: `${p}:pos:dirty`,
    /** Next free frame slot, and unitId → slot (hash). */
    slotSeq: `${p}:slot:seq`,
    slots: `${p}:slots`,
    /** Binary position frames, one per tick (short window for live screens; field `f`). */
    frames: `${p}:frames`,
    /** Lease of the position ticker leader (SET NX PX). */
    tickerLease: `${p}:ticker:lease`,
    /** Last tick number published (kept in Redis so ticks stay consecutive across leaders; frame id = `<tick>-0`). */
    tickerSeq: `${p}:ticker:seq`,
    /** The world clock (JSON): simulated time may run faster than real time. */
    clock: `${p}:clock`,
    /**
     * Refused commands, one entry each: `command`, `actor` (JSON), `error`, `message`, `payload` (JSON, truncated),
     * `at` (real ms) and `worldAt`. Who asked what, when, and why it was refused.
     */
    audit: `${p}:audit`,
    /** The command centre's current mode (peacetime …), written with its `mode.changed` event. */
    mode: `${p}:mode`,
    /** Periodic reducer snapshots for fast hub start and replay seeks: field `s` JSON, stream id = `<seq>-0`. */
    snapshots: `${p}:snapshots`,
    /**
     * Replay history (server/src/replay, docs/replay.md), written by one leader hub. Snapshots of the world and the
     * KPI fold: stream id `<seq>-0`, fields `at` (the running maximum of event time at that seq) and `z` (deflated
     * JSON). Kept for the retention period, unlike `snapshots`.
     */
    replaySnapshots: `${p}:replay:snaps`,
    /**
     * Cold entities for replay snapshots: closed or rejected cases, finished tasks (and those cases' KPI records),
     * written once when they become final, stream id `<seq>-0` of the snapshot they were split off at, field `z`
     * (brotli lines `c|t|k <TAB> id <TAB> json`). Kept for as long as the world holds them: never trimmed.
     */
    replayCold: `${p}:replay:cold`,
    /** Index of `replaySnapshots` for seeks: sorted set, score = `at`, member = seq zero-padded to 16 digits. */
    replaySnapshotIndex: `${p}:replay:snapidx`,
    /** Scenario runs: stream id `<seq>-0` of each `clock.changed`, fields `at` and `scenario` (empty when none). */
    replayPeriods: `${p}:replay:periods`,
    /** Case reports per world minute, for the scrubber's histogram: hash minute (epoch ms / 60000) → count. */
    replayReports: `${p}:replay:reports`,
    /** The history writer's bookkeeping (hash): `countedSeq`, the last seq whose reports are counted. */
    replayCursor: `${p}:replay:cursor`,
    /** Lease of the history writer leader (SET NX PX). */
    replayLease: `${p}:replay:lease`,
    /**
     * Position history: one entry per world minute, stream id `<minute>-0` (minute = epoch ms / 60000), field `d`:
     * a deflated segment holding a keyframe of every unit plus deltas every few seconds (server/src/replay).
     */
    posHistory: `${p}:pos:history`,
    /**
     * Accounts and access (server/src/auth, docs/operations.md). People: hash user → JSON (role, scrypt hash,
     * `mustChangePassword`, `gen` — bumped by a password or role change, which ends the user's sessions).
     */
    accounts: `${p}:accounts`,
    /** API keys and field-device tokens: hash keyId → JSON (name, role, unitId for a device, SHA-256 of the secret). */
    apiKeys: `${p}:apikeys`,
    /** Wall pairing tokens waiting to be used once: hash SHA-256(token) → JSON (wall name, expiry). */
    pairings: `${p}:pairings`,
    /** Field terminal pairing codes waiting to be used once: hash SHA-256(code) → JSON (unit, expiry). */
    fieldPairings: `${p}:field:pairings`,
    /** Device token ids revoked (unpaired or replaced): hash keyId → revoked at, so their requests answer `revoked`. */
    revokedKeys: `${p}:field:revoked`,
    /** Pub/sub channel: a device token id was revoked; every hub cuts that device's sockets at once. */
    fieldRevoked: `${p}:field:revoked:channel`,
    /** Field terminal presence per unit: hash unitId → TerminalPresence JSON (server/src/field/presence.ts). */
    terminals: `${p}:field:terminals`,
    /** Prefix of a unit's live terminal connections: `<prefix><unitId>` → set of `<hubId>/<socketId>`. */
    terminalConnPrefix: `${p}:field:conn:`,
    /** Paired walls' sessions: hash sessionId → JSON (wall name, paired at), so a wall can be unpaired by name. */
    walls: `${p}:walls`,
    /** Prefix of one session: `<prefix><sessionId>` → JSON (who, kind), expiring (PX). */
    sessionPrefix: `${p}:session:`,
    /** The secret that signs session cookies (generated at first start unless EGRET_SESSION_SECRET is set). */
    authSecret: `${p}:auth:secret`,
    /** Prefix of rate-limit counters: `<prefix><bucket>:<who>` (INCR + PEXPIRE, shared by every hub). */
    rateLimitPrefix: `${p}:rl:`,
  } as const;
}
export type RedisKeys = ReturnType<typeof redisKeys>;
