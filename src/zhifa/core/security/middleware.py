"""Request guards of the whole site (core/security, docs/security.md).

``SessionGuard`` (after ``AuthenticationMiddleware``): a staff session idle for more than
``ZHIFA["SESSION_IDLE_MINUTES"]`` ends (GB/T 22239-2019 8.1.4.1 b, 登录连接超时自动退出): the
next page asks for the login again; a user whose password is older than
``ZHIFA["PASSWORD_MAX_AGE_DAYS"]`` is sent to the password change page before any other page
(JSON 403 under ``/api/``).
"""
from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse

SEEN_KEY = "_zhifa_seen"
PASSWORD_CHECKED_KEY = "_zhifa_password_checked"
# The last activity is written to the session at most once a minute (a write per request would
# cost a database write per page); the timeout is therefore exact to a minute.
_TOUCH_SECONDS = 60
_PASSWORD_RECHECK_SECONDS = 600


def _json(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})


class SessionGuard:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            answer = self._idle(request) or self._password(request)
            if answer is not None:
                return answer
        return self.get_response(request)

    def _idle(self, request):
        idle = settings.ZHIFA.get("SESSION_IDLE_MINUTES", 30) * 60
        now = time.time()
        seen = request.session.get(SEEN_KEY)
        if idle and seen is not None and now - seen > idle:
            logout(request)
            if request.method == "GET" and not request.path.startswith("/api/"):
                query = urlencode({"next": request.get_full_path(), "idle": "1"})
                return HttpResponseRedirect(f"{settings.LOGIN_URL}?{query}")
            return None  # on as the anonymous public: 401 under /api/, the login page elsewhere
        if seen is None or now - seen >= _TOUCH_SECONDS:
            request.session[SEEN_KEY] = now
        return None

    def _password(self, request):
        from zhifa.core.security.passwords import password_expired

        checked = request.session.get(PASSWORD_CHECKED_KEY)
        now = time.time()
        if checked is not None and now - checked < _PASSWORD_RECHECK_SECONDS:
            return None
        change = reverse("password_change")
        if request.path in (change, reverse("logout")) or request.path.startswith(settings.STATIC_URL):
            return None
        if not password_expired(request.user):
            request.session[PASSWORD_CHECKED_KEY] = now
            return None
        if request.path.startswith("/api/"):
            return _json(403, "密码已超过有效期，请先在“修改密码”页面修改密码。")
        return HttpResponseRedirect(f"{change}?expired=1")
