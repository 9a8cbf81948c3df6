import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { installDebugHook } from './debug-hook.ts';
import { translate, localeFromQuery } from './i18n/translate.ts';
import { connectHub } from './net/hub-client.ts';
import { fetchHubConfig } from './net/config.ts';
import { ScreenState } from './state/screen.svelte.ts';

/** The page's only side effects: fetch the city's config (retrying until the hub answers), connect, mount. */
async function boot(target: HTMLElement): Promise<void> {
  const route = location.pathname.replace(/\/+$/, '') === '/console' ? 'console' : 'wall';
  const asked = localeFromQuery(location.search);
  for (;;) {
    try {
      const config = await fetchHubConfig();
      const screen = new ScreenState(config, asked ?? config.display.defaultLocale);
      screen.ticker.start();
      connectHub({
        world: screen.world,
        units: screen.units,
        link: screen.link,
        onProtocolMismatch: () => setTimeout(() => location.reload(), 2_000),
      });
      installDebugHook(screen);
      target.textContent = '';
      mount(App, { target, props: { screen, route } });
      return;
    } catch (err) {
      const box = document.createElement('div');
      box.className = 'boot';
      box.textContent = translate(asked ?? 'zh', 'error.config', { reason: (err as Error).message });
      target.replaceChildren(box);
      await new Promise((r) => setTimeout(r, 3_000));
    }
  }
}

void boot(document.getElementById('app')!);
