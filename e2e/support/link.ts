import { createServer, connect, type Socket } from 'node:net';

/** A phone's network link to the hub that a test can cut and restore: a plain TCP relay on its own port. */
export interface CuttableLink {
  /** `http://127.0.0.1:<port>`: what the phone opens instead of the hub's own address. */
  readonly base: string;
  /** Drops every open connection and refuses new ones until restored: a tunnel, a lift, a dead cell. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/**
 * Chromium's offline emulation (Playwright's `setOffline`) does not reach a service worker's own fetches, nor a page
 * the worker controls reliably: a reloaded page reconnected its socket through it and sent a step the test had
 * queued "offline". A cut relay is a cut the browser cannot see around. The Host header passes through unchanged,
 * so the hub sees the relay's address as the page's own origin, as behind any port-forward.
 */
export async function cuttableLink(hubBase: string): Promise<CuttableLink> {
  const target = new URL(hubBase);
  const open = new Set<Socket>();
  let isCut = false;
  const server = createServer((client) => {
    if (isCut) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    open.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the relay has no port');
  const cut = () => {
    isCut = true;
    for (const s of open) s.destroy();
    open.clear();
  };
  return {
    base: `http://127.0.0.1:${address.port}`,
    cut,
    restore() {
      isCut = false;
    },
    async close() {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
