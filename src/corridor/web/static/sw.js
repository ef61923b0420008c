// Keeps the workbench's shell and what it last read usable without a network: every GET of the app's
// own files and of /v1/explore is answered from the network when it can be, and from the cache (the
// last good copy) when it cannot.  Nothing else is cached; writes always go to the server.
const CACHE = 'corridor-shell-v1';
const SHELL = ['/', '/app/css/app.css', '/app/vendor/leaflet.css', '/app/js/app.js'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});
self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

function cacheable(url) {
  return url.origin === self.location.origin
    && (url.pathname === '/' || url.pathname.startsWith('/app/') || url.pathname.startsWith('/v1/explore/'));
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
