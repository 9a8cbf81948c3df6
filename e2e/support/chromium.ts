import { fileURLToPath } from 'node:url';
import { chromium, type Browser as PlaywrightBrowser, type BrowserContext } from 'playwright-core';
import { displayBuilt } from './display-build.ts';

/** Debian's Chromium; CHROMIUM_PATH elsewhere. Never a downloaded browser build. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Starts {@link CHROMIUM_PATH} with the `--disable-features` flags merged into one (Chromium honours only the last). */
const CHROMIUM_LAUNCHER = fileURLToPath(new URL('./chromium-launcher.sh', import.meta.url));

/**
 * Flags for headless Chromium on a machine without a GPU: WebGL2 on SwiftShader. Never add
 * --disable-software-rasterizer (WebGL stops).
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  // Chromium's own omnibox popup, built in WebUI: headless Chromium still gives every page a window with a toolbar
  // and preloads the popup's page in a renderer of its own — ~1.7 s of CPU a page (that renderer ~1.4 s, the browser
  // process ~0.3 s) that no test looks at, measured against a page on the same flags without it (docs/performance.md).
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup',
];

let workerBrowser: Promise<PlaywrightBrowser> | null = null;
/** The {@link FileBrowser}s open on it. */
let filesOpen = 0;

/**
 * One Chromium for every test file a worker runs (the end-to-end project does not isolate its files: this module's
 * state lasts the worker), each file in contexts of its own — separate cookies, storage, caches and service workers,
 * closed with the file. A Chromium started per file cost its browser, zygote, GPU and network processes' start
 * again, and the GPU process's shaders compiled again (on SwiftShader, seconds of CPU for a page that opens the map);
 * on 2 cores the end-to-end files are CPU-bound. Started again if it went away.
 */
function chromiumForThisWorker(): Promise<PlaywrightBrowser> {
  if (!workerBrowser) {
    const launching = chromium.launch({
      executablePath: CHROMIUM_LAUNCHER,
      env: { ...process.env, EGRET_CHROMIUM: CHROMIUM_PATH },
      args: CHROMIUM_ARGS,
      headless: true,
    });
    workerBrowser = launching;
    launching.then(
      (b) =>
        b.on('disconnected', () => {
          if (workerBrowser === launching) workerBrowser = null;
        }),
      () => {
        if (workerBrowser === launching) workerBrowser = null;
      },
    );
  }
  return workerBrowser;
}

/**
 * A test file's browser: the contexts it opens, all closed by `close` (the worker's Chromium stays for the next file;
 * outside vitest — a bench, a soak, a script — the last `close` ends Chromium too, else the script never exits).
 */
export interface FileBrowser {
  newContext(options?: Parameters<PlaywrightBrowser['newContext']>[0]): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** A test file's own browser, contexts of the worker's Chromium, once the display its pages load is built. */
export async function launchBrowser(): Promise<FileBrowser> {
  const [browser] = await Promise.all([chromiumForThisWorker(), displayBuilt()]);
  const opened = new Set<BrowserContext>();
  let closed = false;
  filesOpen++;
  return {
    async newContext(options) {
      const context = await browser.newContext(options);
      opened.add(context);
      context.once('close', () => opened.delete(context));
      return context;
    },
    async close() {
      await Promise.all([...opened].map((c) => c.close().catch(() => {})));
      if (closed) return;
      closed = true;
      if (--filesOpen === 0 && !process.env.VITEST) await browser.close();
    },
  };
}

/** A desktop screen's browser: one context of the given viewport, closed with it. */
export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh context (as a fresh profile: no cookies, storage or cache) of the given viewport. */
export async function launchChromium(viewport: { width: number; height: number }): Promise<Browser> {
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  return { context, close: () => browser.close() };
}
