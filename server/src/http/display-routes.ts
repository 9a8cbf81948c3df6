import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { compress } from './compress.ts';
import { FIELD_PERMISSIONS_POLICY } from './security.ts';

/** The page routes of the single-page display: each answers index.html and the app routes itself. */
export const DISPLAY_PAGES = ['/', '/wall', '/console', '/login'];

/**
 * Serves the built display (`display/dist`). When it has not been built, the pages answer 503 saying how to
 * build it, instead of a bare 404.
 */
export function displayRoutes(displayDir: string): express.Router {
  const router = express.Router();
  const index = join(displayDir, 'index.html');
  router.use(compress());
  router.use(express.static(displayDir, { index: false, maxAge: '1h' }));
  router.get(DISPLAY_PAGES, (_req, res) => {
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('display not built: run npm run build -w @egret/display\n');
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
  // The field terminal 城管通 (display/field.html): its own page under /field/, the scope of its service worker. The
  // phone's position and camera are its job, so this page alone may use them.
  const field = join(displayDir, 'field.html');
  router.get('/field', (req, res) => {
    // Express matches `/field` and `/field/` alike: the page lives at `/field/` (relative URLs, the worker's scope).
    if (!req.path.endsWith('/')) return res.redirect(301, '/field/');
    if (!existsSync(field)) {
      res.status(503).type('text/plain').send('display not built: run npm run build -w @egret/display\n');
      return;
    }
    res.set({ 'Cache-Control': 'no-cache', 'Permissions-Policy': FIELD_PERMISSIONS_POLICY }).sendFile(field);
  });
  return router;
}
