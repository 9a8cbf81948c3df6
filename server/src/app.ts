import { createServer, type Server as HttpServer } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import pino from 'pino';
import { Server } from 'socket.io';
import {
  basemapOrigins,
  buildRoadModel,
  citySquads,
  districtShapes,
  GRID_CELL_M,
  gridCells,
  gridSpec,
  gridSquads,
  loadRoads,
  type EgretConfig,
} from '@egret/config';
import { redisKeys, TERMINAL_CASE_STATUSES, worldNow, type RoadModel, type WorldState } from '@egret/protocol';
import { authRoutes } from './auth/auth-routes.ts';
import { createAuth, type AuthMode } from './auth/index.ts';
import type { Principal } from './auth/permissions.ts';
import { caseCandidates, parseStoredPosition } from './commands/candidates.ts';
import { principalActor } from './commands/actor.ts';
import { auditRefusal } from './commands/audit.ts';
import { createCommands } from './commands/execute.ts';
import { commandRoutes } from './http/command-routes.ts';
import { bodyErrors, ingestRoutes } from './http/ingest-routes.ts';
import { configRoute } from './http/config-route.ts';
import { gridRoute } from './http/grid-route.ts';
import { displayRoutes } from './http/display-routes.ts';
import { tileRoutes } from './http/tile-routes.ts';
import { opsRoutes } from './http/ops-routes.ts';
import { securityHeaders, securityHeadersOnServer, SOCKET_MAX_BUFFER_BYTES, type Limits } from './http/security.ts';
import { startConsumer, type Consumer } from './ingest/consumer.ts';
import type { IngestContext } from './ingest/handle-entry.ts';
import { KpiFeed } from './kpi/kpi-feed.ts';
import { startKpiPush, type KpiPush } from './kpi/kpi-push.ts';
import { readLogRange } from './log/log-reader.ts';
import { LogMirror, type MirrorListener } from './log/mirror.ts';
import { createMetrics } from './metrics.ts';
import { createPositions, type Positions } from './positions/index.ts';
import { createFieldCommands } from './field/commands.ts';
import { FieldPairings } from './field/pairing.ts';
import { deviceFixes } from './field/positions.ts';
import { Presence } from './field/presence.ts';
import { fieldPairRoute, fieldRoutes } from './field/routes.ts';
import { attachFieldSocket } from './field/socket.ts';
import { photoRoutes } from './photos/routes.ts';
import { createFilePhotoStore, type PhotoStore } from './photos/store.ts';
import { connectRedis, type Redis } from './redis/connect.ts';
import { redisStore } from './redis/store.ts';
import { createReplay } from './replay/index.ts';
import { attachCommands } from './socket/commands.ts';
import { catalogOf, planDeadlineMs } from './plans/engine.ts';
import { createPlanIssuer } from './plans/issue.ts';
import { withPlanIssue } from './plans/plan-commands.ts';
import { startPlanRunner, type PlanRunner } from './plans/runner.ts';
import { attachScreens, countScreens, LIVE_ROOM } from './socket/screens.ts';
import type { EgretIo } from './socket/types.ts';

/** How long an idle HTTP keep-alive connection stays open (Node's default is 5 s). */
export const HTTP_KEEP_ALIVE_MS = 65_000;

/** The built display, served by the hub. */
export const DEFAULT_DISPLAY_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../display/dist');
/** Events kept in memory for fast resume of reconnecting screens. */
export const DEFAULT_RING_SIZE = 10_000;
/** The mirror counts as caught up (ready) while it is at most this many events behind the log head. */
export const READY_MAX_LAG = 1_000;
/** How often a hub sweeps photos past retention. */
const PHOTO_SWEEP_MS = 60 * 60_000;

export interface AppDeps {
  /**
   * The hub's Redis connection, already connected (main.ts or {@link openApp} connects it): the app owns it from
   * here on and closes it in `close`.
   */
  redis: Redis;
  /** The same Redis, for the connections the hub opens for its blocking reads (the positions ingest and fan-out). */
  redisUrl: string;
  config: EgretConfig;
  /** Key namespace (`{ns}:…`); one per city, or per test. */
  ns?: string;
  /** This hub's name: its consumer name in the ingest group. Two running hubs need two names. */
  hubId?: string;
  realNow?: () => number;
  logger?: pino.Logger;
  displayDir?: string;
  /** Events kept in memory for resume (tests shrink it to exercise the Redis path). */
  ringSize?: number;
  /** How long the control-plane applier lease lasts: a dead applier hub is replaced after at most this long. */
  ingestLeaseMs?: number;
  /** Not ready when an ingest entry waits unsettled this long (default 60 s). */
  ingestStallAfterMs?: number;
  /** Control-plane entries committed together in one script call (default 500; 1: one by one; ingest/consumer.ts). */
  ingestApplyBatch?: number;
  /** The road model for squad ranking (default: built from the city's roads.json and boundaries). */
  road?: RoadModel;
  /** KPI pushes to screens: at most every `minIntervalMs` while cases change, every `maxIntervalMs` regardless. */
  kpiPush?: { minIntervalMs?: number; maxIntervalMs?: number };
  /** How long a field terminal's presence settles before `terminal.changed` is logged (default 2 s; tests shorten it). */
  fieldPresenceDebounceMs?: number;
  /** The plan engine's leader pass (real ms; default PLAN_TICK_MS) and its batch size (default PLAN_BATCH): tests. */
  planTickMs?: number;
  planBatch?: number;
  /** Called after each pass of the plan engine this hub ran as the leader (tests wait on passes, not on time). */
  planPassObserver?: () => void;
  /** Sees every live batch the mirror applies, right after it (tests record the live state through it). */
  mirrorObserver?: MirrorListener;
  /**
   * `required`: accounts, sessions, API keys and roles (server/src/auth; what main.ts uses unless EGRET_AUTH=open).
   * `open` (the default here, for tests): anyone is a commander named by what it says — closed-lab demos only.
   */
  auth?: AuthMode;
  /** Settings of `required` mode (main.ts reads them from the environment; docs/operations.md). */
  authOptions?: {
    sessionSecret?: string;
    /** Cookies marked Secure and HSTS sent (the hub is reached over HTTPS). */
    cookieSecure?: boolean;
    /** Origins besides the hub's own that browsers may use it from. */
    allowedOrigins?: readonly string[];
    /** Trust X-Forwarded-For/-Proto/-Host from a proxy in front (Express `trust proxy`). */
    trustProxy?: boolean | number | string;
    limits?: Partial<Limits>;
    /** scrypt N of password hashes (default 2^17, OWASP's guidance): tests lower it to stay fast, deployments never. */
    passwordCost?: number;
    /** Origins added to the CSP's img-src/connect-src (a tile server on another origin). */
    cspSources?: readonly string[];
  };
  /**
   * Called once with the one-time password when this hub created the first `admin` (required mode, no account in
   * Redis yet): main.ts prints it. Without it no account is created (tests make their own).
   */
  firstAdmin?: (password: string) => void;
  /** The photo store (default: files under the config's `photos.dir`; docs/operations.md: photos). */
  photos?: PhotoStore;
}

export interface App {
  httpServer: HttpServer;
  io: EgretIo;
  /** Loads the mirror, starts tailing and ingesting, then listens. Resolves to the bound port. */
  listen(port: number, host?: string): Promise<number>;
  /** Stops ingesting, closes every socket and the Redis connections. */
  close(): Promise<void>;
  /** This hub's mirror of the world (the shared reducer over the log; empty until `listen` has loaded it). */
  world(): WorldState;
  /** The photo store the upload and serve routes use. */
  photos: PhotoStore;
}

/**
 * The hub, wired around a connected Redis: nothing is read or started until `listen`. Redis is the source of
 * truth; this process keeps a mirror of the world for its screens, consumes its share of the input stream, and
 * serves HTTP and Socket.IO.
 */
export function createApp(deps: AppDeps): App {
  const { config, redis } = deps;
  const settings = config.settings.hub;
  const keys = redisKeys(deps.ns ?? 'egret');
  const hubId = deps.hubId ?? `hub-${process.pid}`;
  const realNow = deps.realNow ?? Date.now;
  const logger = (deps.logger ?? pino({ level: 'info' })).child({ hub: hubId });
  const metrics = createMetrics();

  const videoPolicy = {
    origins: new Set(config.video.origins),
    cameras: new Map(config.video.cameras.map((c) => [c.id, c])),
    maxWindows: config.video.maxWallWindows,
  };
  const web = express();
  web.disable('x-powered-by');
  const authOptions = deps.authOptions ?? {};
  if (authOptions.trustProxy !== undefined) web.set('trust proxy', authOptions.trustProxy);
  const headerOptions = {
    https: authOptions.cookieSecure,
    // The base map's tile origins (basemap.json) join any the deployment lists: nothing else may be fetched.
    extraSources: [...(authOptions.cspSources ?? []), ...basemapOrigins(config.basemap.info)],
    reportOnly: (deps.auth ?? 'open') === 'open',
    videoSources: config.video.origins,
  };
  web.use(securityHeaders(headerOptions));
  const httpServer = createServer(web);
  // Idle keep-alive connections are kept longer than a proxy's or a client's reuse window (nginx and browsers reuse
  // for up to 60 s): with Node's 5 s, a request sent on a connection the hub was just closing failed ECONNRESET.
  httpServer.keepAliveTimeout = HTTP_KEEP_ALIVE_MS;
  httpServer.headersTimeout = HTTP_KEEP_ALIVE_MS + 1_000;
  // A screen only ever sends small requests: a message past the buffer limit closes that socket, nothing else.
  const io: EgretIo = new Server(httpServer, {
    transports: ['websocket', 'polling'],
    serveClient: false,
    maxHttpBufferSize: SOCKET_MAX_BUFFER_BYTES,
  });
  // Socket.IO's polling answers and handshake errors never reach Express: the same headers, set before any handler.
  securityHeadersOnServer(httpServer, headerOptions);

  redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'Redis connection error'));
  const mirror = new LogMirror({
    redis,
    keys,
    hubId,
    snapshotEvery: settings.snapshotEvery,
    ringSize: deps.ringSize ?? DEFAULT_RING_SIZE,
    logger,
    realNow,
  });
  // The KPI fold follows the mirror's live batches from its very first one, so it is attached before the start.
  const kpi = new KpiFeed({ redis, keys, logger, timeZone: config.city.timezone });
  kpi.attach(mirror);
  if (deps.mirrorObserver) mirror.listen(deps.mirrorObserver);
  let consumer: Consumer | undefined;
  const photoSettings = config.settings.photos;
  const photos =
    deps.photos ??
    createFilePhotoStore({
      dir: resolve(photoSettings.dir),
      limits: { maxBytes: photoSettings.maxBytes, maxPixels: photoSettings.maxPixels },
      realNow,
    });
  let photoSweep: NodeJS.Timeout | undefined;
  let kpiPush: KpiPush | undefined;
  let closing: Promise<void> | undefined;

  const auth = createAuth({
    mode: deps.auth ?? 'open',
    redis,
    keys,
    logger,
    realNow,
    registry: metrics.registry,
    sessionSecret: authOptions.sessionSecret,
    cookieSecure: authOptions.cookieSecure,
    allowedOrigins: authOptions.allowedOrigins,
    limits: authOptions.limits,
    passwordCost: authOptions.passwordCost,
    trustProxy: authOptions.trustProxy !== undefined && authOptions.trustProxy !== false,
  });
  if (auth.mode === 'open')
    logger.warn(
      'AUTH IS OPEN: anyone who reaches this hub can watch and command as a commander (tests and closed-lab demos only; see docs/operations.md)',
    );
  io.use(auth.handshake());

  // HTTP: thin adapters.
  const ingestOpts = { redis, keys, metrics, deadletterMaxLen: settings.deadletterMaxLen, realNow };
  web.use(
    opsRoutes({
      registry: metrics.registry,
      readiness: {
        async notReadyBecause() {
          if (!mirror.loaded) return 'starting: the mirror is not loaded yet';
          if (!redis.isReady) return 'Redis unreachable: reconnecting';
          const stalled = consumer?.stalledBecause() ?? positions.ingestStalledBecause();
          if (stalled) return stalled;
          try {
            const head = Number((await redis.get(keys.logSeq)) ?? 0);
            const lag = head - mirror.world.seq;
            if (lag > READY_MAX_LAG) return `catching up: the mirror is ${lag} events behind the log`;
          } catch (err) {
            return `Redis unreachable: ${(err as Error).message}`;
          }
          return undefined;
        },
      },
    }),
  );
  web.use(authRoutes({ auth, cookieSecure: authOptions.cookieSecure }));
  // The field terminal's pairing needs no session (a new phone has none): before the guard (server/src/field).
  const fieldPublic = express.Router();
  web.use(fieldPublic);
  web.use('/api', auth.guard());
  // What a caller may do is decided at the route the router matched (auth.allow), never from the raw path: the
  // public config, then the ingest routes (ingest keys and devices), then every other /api route (a screen's role).
  web.use(configRoute(config, hubId));
  const vetFixes = deviceFixes({ redis, keys, worldNow: () => currentWorldNow(), realNow });
  web.use(
    ingestRoutes({
      ...ingestOpts,
      scope: auth.ingestScope,
      guard: auth.allow('ingest'),
      vetFixes: (res, fixes) => vetFixes(res.locals.principal as Principal | undefined, fixes),
    }),
  );
  // The field terminal (devices and inspectors open no screen): before the viewers-only gate, filled in below.
  const fieldPrivate = express.Router();
  web.use(fieldPrivate);
  // Photos: devices and inspectors upload and see them but open no screen, so before the viewers-only gate.
  web.use(
    photoRoutes({
      store: photos,
      redis,
      keys,
      registry: metrics.registry,
      deadletterMaxLen: settings.deadletterMaxLen,
      realNow,
      required: auth.mode === 'required',
      limiter: auth.limiter,
      uploadRate: auth.limits.commands,
    }),
  );
  web.use('/api', auth.allow('see'));
  const currentWorldNow = () => worldNow(mirror.world.clock, realNow());
  // Fails at boot (ConfigError naming the file and field) when the roads file is bad.
  const road = deps.road ?? buildRoadModel(loadRoads({ dir: config.dir, city: config.city.id }), config.boundaries);
  // The one store both deciding paths read and commit through (commit.lua).
  const store = redisStore(redis, keys, { logMaxLen: settings.logMaxLen });
  // The command manual (issue #17): its plans, their point sets and the city's squads.
  // A round's inspection goes to the squad whose duty area holds the point's grid (the simulator's roster splits
  // each district's cells the same way: config duty-areas.ts).
  const planCatalog = catalogOf({
    plans: config.plans,
    pointSets: config.pointSets,
    squads: citySquads(config.city),
    gridSquads: gridSquads(
      gridCells(districtShapes(config.boundaries), gridSpec(config.city.bbox, GRID_CELL_M)),
      config.city.districts,
    ),
  });
  const mirrorPlans = {
    catalog: planCatalog,
    get world() {
      return mirror.world;
    },
  };
  const tightenDeadline = (code: string, ms: number) =>
    planDeadlineMs(ms, code, mirror.world.plans.values(), planCatalog.plans);
  const coreCommands = createCommands({
    store,
    plans: mirrorPlans,
    tightenDeadline,
    audit: (refused) => auditRefusal(redis, keys, refused, settings.deadletterMaxLen),
    available: () => redis.isReady,
    categories: config.categories,
    video: videoPolicy,
    worldNow: currentWorldNow,
    realNow,
    registry: metrics.registry,
    logger,
  });
  /** The units' latest fixes from Redis (fresher than the log's positions): pre-positions and their arrivals. */
  const latestFixes = async (ids: readonly string[]) => {
    const stored = ids.length ? await redis.hmGet(keys.positions, [...ids]) : [];
    const out = new Map<string, [number, number]>();
    ids.forEach((id, i) => {
      const p = parseStoredPosition(stored[i]);
      if (p) out.set(id, p);
    });
    return out;
  };
  const planIssuer = createPlanIssuer({
    store,
    positions: latestFixes,
    catalog: planCatalog,
    world: () => mirror.world,
    worldNow: currentWorldNow,
    realNow,
    logger,
    ...(deps.planBatch !== undefined ? { batch: deps.planBatch } : {}),
  });
  const commands = withPlanIssue(coreCommands, planIssuer, logger);
  let planRunner: PlanRunner | undefined;
  const shapes = districtShapes(config.boundaries);
  const grids = gridSpec(config.city.bbox, GRID_CELL_M);
  const fieldPairings = new FieldPairings(redis, keys, auth.accounts, realNow);
  const fieldCommands = createFieldCommands({ commands, photos, categories: config.categories, shapes, grids });
  const presence = new Presence({
    redis,
    keys,
    store,
    world: () => mirror.world,
    realNow,
    worldNow: currentWorldNow,
    logger,
    debounceMs: deps.fieldPresenceDebounceMs,
  });
  const fieldOptions = { auth, pairings: fieldPairings, commands, fieldCommands, world: () => mirror.world };
  fieldPublic.use(fieldPairRoute(fieldOptions));
  fieldPrivate.use(fieldRoutes(fieldOptions));
  let field: { close(): Promise<void> } | undefined;
  const candidates = (req: unknown) =>
    caseCandidates(
      {
        redis,
        keys,
        world: () => mirror.world,
        categories: config.categories,
        road,
        ...(config.settings.jurisdiction ? { jurisdiction: config.settings.jurisdiction } : {}),
        now: currentWorldNow,
      },
      req,
    );
  attachCommands({ io, commands, candidates, logger, gate: auth.gateSocket });

  web.use(gridRoute(config));
  web.use(
    commandRoutes({
      commands,
      candidates,
      kpi: () => kpi.report(currentWorldNow()),
      gate: auth.gateHttp,
      allow: auth.allow,
      actor: (req, res) => principalActor(auth.principal(req, res)),
    }),
  );
  const replay = createReplay({
    config,
    keys,
    hubId,
    logger,
    displayDir: deps.displayDir ?? DEFAULT_DISPLAY_DIR,
    redis,
    realNow,
    live: () => mirror.world,
  });
  web.use(replay.routes);
  const positions: Positions = createPositions({
    redis,
    redisUrl: deps.redisUrl,
    keys,
    io,
    hubId,
    settings,
    logger,
    registry: metrics.registry,
    realNow,
    worldNow: currentWorldNow,
  });
  const tiles = tileRoutes(config.basemap);
  web.use(tiles.router);
  web.use(displayRoutes(deps.displayDir ?? DEFAULT_DISPLAY_DIR));
  web.use(bodyErrors(ingestOpts));
  web.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    logger.error({ err }, 'HTTP request failed');
    if (!res.headersSent)
      res.status(500).json({ error: 'internal', message: 'the hub could not handle this request; see its log' });
  });

  return {
    httpServer,
    io,
    world: () => mirror.world,
    photos,
    async listen(port, host) {
      const r = redis;
      await auth.start(deps.firstAdmin);
      auth.watch(() => io.sockets.sockets.values());
      await mirror.start();
      const m = mirror;
      const k = kpi;
      kpiPush = startKpiPush({
        io,
        feed: k,
        room: LIVE_ROOM,
        worldNow: currentWorldNow,
        realNow,
        logger,
        ...deps.kpiPush,
      });
      const push = kpiPush;
      // Folding a long log takes a while: the hub serves meanwhile, and screens get their first report when it is done.
      void k.start();
      metrics.setCollectors({
        logHead: async () => Number((await r.get(keys.logSeq)) ?? 0),
        mirrorSeq: () => m.world.seq,
        screens: () => countScreens(io),
      });

      await positions.start();
      replay.start();
      const pp = positions;
      planRunner = startPlanRunner({
        commands,
        issuer: planIssuer,
        catalog: planCatalog,
        world: () => m.world,
        worldNow: currentWorldNow,
        events: config.events,
        isLeader: () => pp.isLeader(),
        positions: latestFixes,
        logger,
        ...(deps.planTickMs !== undefined ? { tickMs: deps.planTickMs } : {}),
        ...(deps.planPassObserver ? { onPass: deps.planPassObserver } : {}),
      });
      const runner = planRunner;
      m.listen({
        events: (batch) => {
          if (batch.some((e) => e.type === 'storm.updated' || e.type === 'sensor.read' || e.type === 'clock.changed'))
            runner.poke();
        },
        reset: () => runner.poke(),
      });
      // Hourly: photos past retention that no open case references go (any hub may sweep a shared volume).
      photoSweep = setInterval(() => {
        const held = new Set<string>();
        for (const c of m.world.cases.values())
          if (!TERMINAL_CASE_STATUSES.includes(c.status)) for (const ref of c.photos ?? []) held.add(ref.id);
        photos
          .sweep(realNow() - photoSettings.retentionDays * 86_400_000, (id) => held.has(id))
          .then((n) => n && logger.info({ deleted: n }, 'photos past retention deleted'))
          .catch((err: unknown) => logger.warn({ err }, 'photo sweep failed'));
      }, PHOTO_SWEEP_MS);
      photoSweep.unref();
      field = await attachFieldSocket({
        io,
        auth,
        mirror: m,
        presence,
        commands: fieldCommands,
        redis: r,
        keys,
        hubId,
        realNow,
        logger,
      });
      const p = positions;
      attachScreens({
        io,
        mirror: m,
        hubId,
        city: config.city.id,
        metrics,
        logger,
        readLog: (afterSeq, toSeq) => readLogRange(r, keys, afterSeq, toSeq),
        afterSync: (socket) => push.sendTo(socket),
        sendPositions: (socket) =>
          p.sendKeyframe(socket).catch((err: unknown) => logger.warn({ err }, 'position keyframe failed')),
      });

      const ingest: IngestContext = {
        store,
        redis: r,
        keys,
        apply: {
          categories: config.categories,
          shapes: districtShapes(config.boundaries),
          districts: new Set(config.city.districts.map((d) => d.code)),
          sensors: config.settings.sensors,
          grids: gridSpec(config.city.bbox, GRID_CELL_M),
          video: videoPolicy,
          plans: {
            plans: planCatalog.plans,
            points: new Map([...config.pointSets.values()].flat().map((p) => [p.id, p])),
          },
          tightenDeadline,
        },
        clock: () => m.world.clock,
        realNow,
        deadletterMaxLen: settings.deadletterMaxLen,
        metrics,
        logger,
      };
      consumer = await startConsumer(ingest, keys.inEvents, {
        hubId,
        batch: settings.ingestBatch,
        applyBatch: deps.ingestApplyBatch,
        logMaxLen: settings.logMaxLen,
        leaseMs: deps.ingestLeaseMs,
        stallAfterMs: deps.ingestStallAfterMs,
      });

      await new Promise<void>((done, fail) => {
        httpServer.once('error', fail);
        httpServer.listen(port, host, () => {
          httpServer.off('error', fail);
          done();
        });
      });
      const address = httpServer.address();
      return typeof address === 'object' && address ? address.port : port;
    },
    close() {
      closing ??= (async () => {
        await consumer?.stop();
        planRunner?.stop();
        clearInterval(photoSweep);
        auth.stop();
        kpiPush?.stop();
        kpi.stop();
        await field?.close();
        await positions.stop();
        await replay.stop();
        await tiles.close();
        await mirror.stop();
        await new Promise<void>((done) => {
          io.close(() => done());
          httpServer.closeAllConnections();
        });
        if (redis.isOpen) await redis.close();
      })();
      return closing;
    },
  };
}

/**
 * Connects the hub's Redis (failing loudly when it cannot), then wires the app around it: for callers that start a
 * hub from a URL (tests, benches, scripts). main.ts connects and wires the same way.
 */
export async function openApp(deps: Omit<AppDeps, 'redis'>): Promise<App> {
  const hubId = deps.hubId ?? `hub-${process.pid}`;
  const redis = await connectRedis(deps.redisUrl, { name: `egret-${hubId}` });
  return createApp({ ...deps, hubId, redis });
}
