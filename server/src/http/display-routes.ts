import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { compress } from './compress.ts';

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
  return router;
}
