"""Per-page caching of the public portal with invalidation on publication (issue #19).

What the portal shows changes only through a recorded act (architecture.md: every write leaves a
hash-chained record entry) — a decision published or withdrawn, a plan accepted, an article
published, a body edited — or with the date (publication periods end, certificates expire). So a
page is cached under (the newest record entry's id, today's date, host, full path): any recorded
write anywhere makes every cached page stale at once, on every worker, at the price of one query
on the primary key index per request. The same key is the page's ``ETag``: a client revalidating
with ``If-None-Match`` gets ``304 Not Modified`` without the page being rendered or sent.

Only anonymous-safe pages use it (no form with a CSRF token, no page addressed by a private
code) and only ``200`` answers without cookies are stored, for at most
``ZHIFA["PORTAL_CACHE_SECONDS"]`` (0 turns caching off; the default in tests).
"""
from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

from zhifa.core import clock
from zhifa.core.ledger import RecordEntry


def seconds() -> int:
    return int(settings.ZHIFA.get("PORTAL_CACHE_SECONDS", 0))


def generation() -> int:
    """The newest record entry's id: it changes with every recorded write."""
    return RecordEntry.objects.aggregate(n=Max("id"))["n"] or 0


def _key(request: HttpRequest) -> str:
    raw = f"{generation()}|{clock.today().isoformat()}|{request.get_host()}|{request.get_full_path()}"
    return "portal-page:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def public_page(view):
    """Cache ``view``'s anonymous GET answers as described above; answer ``304`` to a matching
    ``If-None-Match``."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        ttl = seconds()
        if ttl <= 0 or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        key = _key(request)
        etag = f'"{key[-32:]}"'
        if etag in [tag.strip() for tag in request.META.get("HTTP_IF_NONE_MATCH", "").split(",")]:
            response = HttpResponseNotModified()
        else:
            response = cache.get(key)
            if response is None:
                response = view(request, *args, **kwargs)
                if response.status_code == 200 and not response.cookies and not response.streaming:
                    cache.set(key, response, ttl)
        if response.status_code in (200, 304):
            response["ETag"] = etag
            response["Cache-Control"] = "public, max-age=0, must-revalidate"
        return response

    return wrapper
