import express from 'express';
import type { Registry } from 'prom-client';

export interface Readiness {
  /** Why the hub is not ready, or undefined when it is. */
  notReadyBecause(): Promise<string | undefined>;
}

/** Liveness, readiness and Prometheus metrics. */
export function opsRoutes(o: { registry: Registry; readiness: Readiness }): express.Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  router.get('/readyz', async (_req, res) => {
    const why = await o.readiness.notReadyBecause();
    if (why) res.status(503).json({ ok: false, error: 'not_ready', message: why });
    else res.json({ ok: true });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(o.registry.contentType).send(await o.registry.metrics());
  });
  return router;
}
