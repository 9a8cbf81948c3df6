// First: zod must not probe eval under the hub's CSP (see the module).
import './auth/strict-csp.ts';
import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { AuthGate } from './auth/auth-gate.svelte.ts';
import { completePairing } from './auth/pairing.ts';
import { safeNext } from './auth/session-api.ts';
import { installDebugHook } from './debug-hook.ts';
import { translate, localeFromQuery } from './i18n/translate.ts';
import { socketTransport } from './net/commands.ts';
import { connectHub } from './net/hub-client.ts';
import { fetchHubConfig } from './net/config.ts';
import { loadGridMap } from './net/grid-map.ts';
import { positionsOnMain, startPositionsLink } from './net/positions-link.ts';
import { layersFromQuery } from './state/modes.ts';
import { ScreenState } from './state/screen.svelte.ts';

/** The page's only side effects: fetch the city's config (retrying until the hub answers), connect, mount. */
async function boot(target: HTMLElement): Promise<void> {
  const path = location.pathname.replace(/\/+$/, '');
  const route = path === '/console' ? 'console' : path === '/login' ? 'login' : 'wall';
  const asked = localeFromQuery(location.search);
  // Accounts (display/src/auth): a wall's one-time pairing link is traded for its session before connecting; a
  // socket the hub refuses shows the login page, which leads back here (or to `/login?next=…`).
  const paired = await completePairing(location, history);
  const auth = new AuthGate(paired && !paired.ok ? 'pairing_invalid' : 'needed');
  const next =
    route === 'login'
      ? safeNext(new URLSearchParams(location.search).get('next'))
      : `${location.pathname}${location.search}`;
  for (;;) {
    // What a failed attempt opened is closed before the next: a retry must not leave a second worker and socket.
    const opened: Array<{ close(): void }> = [];
    try {
      const config = await fetchHubConfig();
      const screen = new ScreenState(config, asked ?? config.display.defaultLocale);
      screen.ticker.start();
      screen.layerSwitches.chosen = layersFromQuery(location.search);
      // The position frames come through a worker of their own (issue #19) unless `?positions=main`; if it cannot
      // start or dies, the main socket takes them.
      let takeFrames = () => {};
      let giveFrames = () => {};
      const positions =
        route === 'login' || positionsOnMain(location.search)
          ? undefined
          : startPositionsLink({
              units: screen.units,
              link: screen.link,
              url: location.origin,
              onFallback: () => takeFrames(),
              onResume: () => giveFrames(),
            });
      if (positions) opened.push(positions);
      const hub = connectHub({
        world: screen.world,
        units: screen.units,
        link: screen.link,
        kpi: screen.kpi,
        onProtocolMismatch: () => setTimeout(() => location.reload(), 2_000),
        onAuthRefused: (message) => auth.refused(message),
        framesElsewhere: () => positions?.elsewhere() ?? false,
      });
      opened.push(hub);
      takeFrames = hub.takeFrames;
      giveFrames = hub.giveFrames;
      // After the socket: the grid is background and arrives when it arrives (the login page draws no map).
      if (route !== 'login') loadGridMap((map) => (screen.city.gridMap = map));
      installDebugHook(screen);
      target.textContent = '';
      mount(App, { target, props: { screen, route, commands: socketTransport(hub.socket), auth, next } });
      return;
    } catch (err) {
      for (const o of opened) o.close();
      const box = document.createElement('div');
      box.className = 'boot';
      box.textContent = translate(asked ?? 'zh', 'error.config', { reason: (err as Error).message });
      target.replaceChildren(box);
      await new Promise((r) => setTimeout(r, 3_000));
    }
  }
}

// `/replay` and `/replay/summary` are replay mode: its own chunk, and no live connection (display/src/replay).
const replay = location.pathname.replace(/\/+$/, '').match(/^\/replay(\/summary)?$/);
if (replay)
  void import('./replay/boot.ts').then((m) =>
    m.bootReplay(document.getElementById('app')!, replay[1] ? 'summary' : 'replay'),
  );
else void boot(document.getElementById('app')!);
