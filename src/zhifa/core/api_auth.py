"""API authentication (接口认证), shared by the root API and every app's router.

It lives in ``core`` so that routers can name their auth at import time without importing
``zhifa.api`` (which imports the routers to mount them: an import cycle). ``core`` depends on
django-ninja here, a library, not on any other app.

- ``STAFF_AUTH``: a bearer token from ``POST /api/v1/auth/token`` or a Django session (staff).
- ``OPTIONAL_AUTH``: the same, falling back to the anonymous public (社会公众), for public
  endpoints that answer the public with public fields only. Only a request that presents no
  bearer token is anonymous: a token that is unknown, expired or whose user is inactive is
  refused (``InvalidToken``, 401) everywhere, public endpoints included (RFC 6750 §3.1).
"""
from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from zhifa.core import clock
from zhifa.core.models import ApiToken


# Relations of the user joined into the bearer token's query, so that resolving the acting user
# (``registry.access.actor_for``: officer, supervision post) needs no query of its own. The
# registry adds its own at start-up (``RegistryConfig.ready``); core names no app above it.
USER_JOINS: list[str] = []


class InvalidToken(AuthenticationError):
    """A bearer token was presented and does not work (令牌无效): the API answers 401 with
    ``WWW-Authenticate: Bearer error="invalid_token"``. Falling back to the anonymous view
    would hide from a client that its token expired: it would silently see public fields."""


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` from ``POST /api/v1/auth/token``. No header (or
    another scheme) is no credential; a bearer token that matches no live token raises
    ``InvalidToken``."""

    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user", *USER_JOINS)
            .filter(digest=ApiToken.digest_of(token), expires_at__gt=clock.now(), user__is_active=True)
            .first()
        )
        if found is None:
            raise InvalidToken()
        found.user._zhifa_joined = bool(USER_JOINS)  # the actor's rows came with this query (registry.access)
        request.user = found.user
        request.api_token = found  # POST /api/v1/auth/logout revokes it
        return found.user


def anonymous(request):
    """Lets the public reach public endpoints; they answer with public fields only."""
    if getattr(request, "user", None) is None:
        request.user = AnonymousUser()
    return request.user if request.user.is_authenticated else AnonymousUser()


class PageSession(SessionAuth):
    """The Django session of the pages. Its CSRF check applies only to a request that carries
    the session cookie: a request with neither token nor cookie is unauthenticated (401,
    contract.md), not a CSRF failure (403)."""

    def _get_key(self, request):
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)


bearer = BearerToken()
session = PageSession()
STAFF_AUTH = [bearer, session]
OPTIONAL_AUTH = [bearer, session, anonymous]
