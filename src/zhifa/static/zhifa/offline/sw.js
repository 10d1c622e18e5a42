/* zhifa service worker (离线现场执法, B9), served at /inspections/sw.js so that its scope covers
   the inspector's pages (/inspections/…: 我的检查, the results pages).

   - Pages under the scope: network first; a page that answered 200 is kept in the cache, and is
     served from it when the network is gone (the inspector in a basement still opens 我的检查
     and the day's inspections with their check points).
   - Static files (/static/…): from the cache when there, refreshed from the network behind.
   - Everything else (posts, the API, other pages) goes to the network untouched: captures are
     kept by the page in IndexedDB (offline.js), never replayed by this worker. */
"use strict";
var CACHE = "zhifa-offline-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (evt) {
  evt.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("zhifa-offline-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function fromCache(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (hit) {
      return hit || cache.match(request, { ignoreVary: true, ignoreSearch: true });
    });
  });
}

self.addEventListener("fetch", function (evt) {
  var request = evt.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  var scope = new URL(self.registration.scope).pathname;
  if (url.pathname.indexOf("/static/") === 0) {
    evt.respondWith(fromCache(request).then(function (hit) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok) { var copy = response.clone(); caches.open(CACHE).then(function (c) { c.put(request, copy); }); }
        return response;
      });
      return hit || fresh;
    }));
    return;
  }
  if (request.mode === "navigate" && url.pathname.indexOf(scope) === 0) {
    evt.respondWith(fetch(request).then(function (response) {
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (c) { c.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return fromCache(request).then(function (hit) {
        return hit || new Response(
          "<!DOCTYPE html><meta charset=utf-8><meta name=viewport content='width=device-width'><title>离线</title>" +
          "<p style='font:16px sans-serif;padding:1rem'>当前没有网络，此页面未保存在本机。请返回“我的检查”。</p>",
          { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
      });
    }));
  }
});
