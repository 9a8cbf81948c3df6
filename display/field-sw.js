/*
 * The field terminal's service worker (城管通, issue #16), served at /field/sw.js with scope /field/. The build
 * (field-pwa.ts) puts two constants before this text: FIELD_PRECACHE, the app shell's files (the page, its script
 * and style chunks, the manifest and icons, hashed names from the build), and FIELD_VERSION, a hash of that list.
 *
 * Installed: the shell is cached whole, so the app opens with no network. The page is fetched from the network
 * first (a new build is seen at once) and from the cache when the network fails or is slower than 4 s; hashed
 * assets from the cache first (their names change with their content). The hub's API and socket are never cached
 * here: the app keeps its own copy of the city's config and its outbox in IndexedDB.
 */
/* global FIELD_PRECACHE, FIELD_VERSION */
const CACHE = `egret-field-${FIELD_VERSION}`;
const SHELL = '/field/';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FIELD_PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith('egret-field-') && k !== CACHE).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

function networkFirst(request) {
  const network = fetch(request).then((res) => {
    if (res.ok) {
      const copy = res.clone();
      void caches.open(CACHE).then((c) => c.put(SHELL, copy));
    }
    return res;
  });
  const slow = new Promise((resolve) => setTimeout(resolve, 4_000));
  const cached = () => caches.match(SHELL, { cacheName: CACHE });
  return Promise.race([network, slow.then(cached)])
    .then((res) => res || network)
    .catch(() => cached().then((res) => res || Response.error()));
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && url.pathname.startsWith('/field')) {
    event.respondWith(networkFirst(request));
    return;
  }
  if (FIELD_PRECACHE.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname, { cacheName: CACHE }).then((res) => res || fetch(request)));
  }
});
