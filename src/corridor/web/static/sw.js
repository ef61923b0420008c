// Keeps the workbench's shell and what it last read usable without a network: every GET of the app's
// own files, of /v1/me and of /v1/explore is answered from the network when it can be, and from the cache (the
// last good copy) when it cannot.  Nothing else is cached; writes always go to the server.  Signing
// out deletes the cache.
// The server fills in the app's file list and a digest of their contents: a changed file is a new
// worker, which replaces the old cache.
const FILES = __FILES__;
const CACHE = 'corridor-shell-__DIGEST__';
const SHELL = ['/', ...FILES];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});
self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('corridor-shell-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

function cacheable(url) {
  return url.origin === self.location.origin
    && (url.pathname === '/' || url.pathname === '/v1/me' || url.pathname.startsWith('/app/') || url.pathname.startsWith('/v1/explore/'));
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || !cacheable(url)) return;
  event.respondWith(
    fetch(event.request)
      .then((res) => {
        if (res.ok) {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(event.request, copy));
        }
        return res;
      })
      .catch(() => caches.match(event.request).then((hit) => hit || Response.error())),
  );
});
