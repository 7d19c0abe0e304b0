// The app's service worker: the shell (pages, styles, modules, the SDK and its bundles) is kept in a cache, so the
// app opens with no network; the wallet itself is in local storage (the SDK's wallet cache). Network first, so a
// new version is picked up as soon as the server can be reached; the cache answers when it cannot.
const CACHE = "beaconengine-app-v2";

const SHELL = [
  "/app/",
  "/app/app.css",
  "/app/app.js",
  "/app/api.js",
  "/app/code128.js",
  "/app/manifest.json",
  "/app/icon.svg",
  "/app/icon-192.png",
  "/app/vendor/signalr.min.js",
  "/app/vendor/signalr-protocol-msgpack.min.js",
  "/app/vendor/signalr.js",
  "/app/vendor/signalr-protocol-msgpack.js",
  "/app/sdk/index.js",
  "/app/sdk/client.js",
  "/app/sdk/batcher.js",
  "/app/sdk/wallet.js",
  "/app/sdk/rotation.js",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== CACHE) {
        await caches.delete(name);
      }
    }

    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);

  // Only the app's own files: the API and the hub are never cached (the wallet has its own copy).
  if (request.method !== "GET" || url.origin !== self.location.origin || !url.pathname.startsWith("/app/")) {
    return;
  }

  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const response = await fetch(request);
      if (response.ok) {
        // A join link's query does not make another page: the shell is kept once, under /app/.
        await cache.put(request.mode === "navigate" ? "/app/" : request, response.clone());
      }

      return response;
    } catch (error) {
      const cached = await cache.match(request.mode === "navigate" ? "/app/" : request, { ignoreSearch: true });
      if (cached) {
        return cached;
      }

      throw error;
    }
  })());
});
