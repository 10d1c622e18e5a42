"""Request guards of the whole site (core/security, docs/security.md).

``SessionGuard`` (after ``AuthenticationMiddleware``): a staff session idle for more than
``ZHIFA["SESSION_IDLE_MINUTES"]`` ends (GB/T 22239-2019 8.1.4.1 b, 登录连接超时自动退出): the
next page asks for the login again; a user whose password is older than
``ZHIFA["PASSWORD_MAX_AGE_DAYS"]`` is sent to the password change page before any other page
(JSON 403 under ``/api/``). A session whose user has a second factor (core/security/totp.py)
is served only the code page until a code is given; a user whose role must have one and has
none, only the enrolment page.
"""
from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http.multipartparser import MultiPartParserError
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


def on_page_login(sender, request, user, **kwargs):
    """A page login starts the idle clock and checks the password's age once, so that the pages
    that follow within the minute cost no session write."""
    session = getattr(request, "session", None)
    if session is None or (getattr(request, "path", "") or "").startswith("/api/"):
        return
    from zhifa.core.security.passwords import password_expired

    from zhifa.core.security import totp

    now = time.time()
    session[SEEN_KEY] = now
    if not password_expired(user):
        session[PASSWORD_CHECKED_KEY] = now
    if not totp.required(user) and not totp.enrolled(user):
        session[totp.VERIFIED_KEY] = now  # no second factor to give (checked again every 10 minutes)


class SessionGuard:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            answer = self._idle(request)
            if answer is None and request.user.is_authenticated:  # not just logged out for idling
                answer = self._second_factor(request) or self._password(request)
            if answer is not None:
                return answer
        return self.get_response(request)

    def _idle(self, request):
        idle = settings.ZHIFA.get("SESSION_IDLE_MINUTES", 30) * 60
        now = time.time()
        seen = request.session.get(SEEN_KEY)
        if idle and seen is not None and now - seen > idle:
            request._zhifa_logout_reason = "idle"
            logout(request)
            if request.method == "GET" and not request.path.startswith("/api/"):
                query = urlencode({"next": request.get_full_path(), "idle": "1"})
                return HttpResponseRedirect(f"{settings.LOGIN_URL}?{query}")
            return None  # on as the anonymous public: 401 under /api/, the login page elsewhere
        if seen is None or now - seen >= _TOUCH_SECONDS:
            request.session[SEEN_KEY] = now
        return None

    def _second_factor(self, request):
        from zhifa.core.security import totp

        state = request.session.get(totp.VERIFIED_KEY)
        now = time.time()
        if state is True or (isinstance(state, float) and now - state < _PASSWORD_RECHECK_SECONDS):
            return None
        if request.path.startswith(settings.STATIC_URL) or request.path == reverse("logout"):
            return None
        if totp.enrolled(request.user):
            target, message = reverse("otp_verify"), "请先输入动态验证码完成双因素认证。"
        elif totp.required(request.user):
            target, message = reverse("otp_setup"), "您的角色须启用双因素认证，请先在“双因素认证”页面完成绑定。"
        else:
            request.session[totp.VERIFIED_KEY] = now
            return None
        if request.path == target:
            return None
        if request.path.startswith("/api/"):
            return _json(401, message)
        return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")

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


def _bad_request(request, message: str):
    from django.http import HttpResponseBadRequest
    from django.template.loader import render_to_string

    if request.path.startswith("/api/"):
        return _json(400, message)
    return HttpResponseBadRequest(render_to_string("400.html", {"message": message}))


class RequestGuard:
    """Bad input never reaches a page's view (GB/T 22239-2019 8.1.4.4 入侵防范, 数据有效性检验): a
    NUL character in the path, a query parameter or a posted form field (PostgreSQL refuses NUL in
    text: a 500), or a query parameter longer than ``ZHIFA["MAX_QUERY_PARAM_CHARS"]`` (a name
    longer than 100), is answered with the Chinese 400 page. The API answers the same input with
    its 422 per field (see ``__call__``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The API validates every parameter it takes by its schema and answers 422 with a Chinese
        # message per field (contract.md; NUL: ``core.pagination.no_nul``); parameters it does not
        # take are never read. The guard is for the pages, whose forms read raw parameters.
        try:
            problem = None if request.path_info.startswith("/api/") else self._problem(request)
        except (SuspiciousOperation, BadRequest, MultiPartParserError) as exc:
            # a form Django refuses to read (more than 1,000 fields, a broken upload): its 400
            from zhifa.error_pages import bad_request

            return bad_request(request, exc)
        if problem is not None:
            return _bad_request(request, problem)
        return self.get_response(request)

    @staticmethod
    def _problem(request) -> str | None:
        nul = "请求中含有不允许的空字符（NUL），请检查输入后重试。"
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return nul
        limit = settings.ZHIFA.get("MAX_QUERY_PARAM_CHARS", 1000)
        for name, values in request.GET.lists():
            if len(name) > 100:
                return "查询参数名称过长，请检查链接后重试。"
            for value in values:
                if "\x00" in name or "\x00" in value:
                    return nul
                if len(value) > limit:
                    return f"查询参数“{name[:20]}”过长（超过 {limit} 个字符），请缩短后重试。"
        # Posted forms (urlencoded or multipart: CsrfViewMiddleware reads them anyway).
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for name, values in request.POST.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    return nul
        return None


# Features a page of zhifa never uses are off for every page (and any frame of it): the camera
# for evidence photos is reached through the file picker, which needs no permission.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), bluetooth=(), camera=(self), display-capture=(), "
    "geolocation=(self), gyroscope=(), hid=(), magnetometer=(), microphone=(), midi=(), "
    "payment=(), serial=(), usb=(), xr-spatial-tracking=()"
)


class SecurityHeaders:
    """Headers of every answer (docs/security.md): ``Permissions-Policy``; ``Cache-Control:
    no-store`` on every answer to a signed-in user (pages, API answers, documents, photos: they
    carry personal data, which no proxy or shared browser cache may keep); no ``Server`` header
    of Django's making (gunicorn's is blanked in ``zhifa.wsgi``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            response["Cache-Control"] = "private, no-store, max-age=0"
            response["Pragma"] = "no-cache"
            if "Expires" in response:
                del response["Expires"]
        if "Server" in response:
            del response["Server"]
        return response


class AuditContext:
    """Binds the request to the audit log (``audit.record`` finds the user and the address of
    whatever records an entry while it is served) and records the permission denials of the
    pages: a 403, or a 404 raised by a view (an object out of the user's scope answers 404, as
    if it did not exist), for a signed-in user. The API records its own (``zhifa.api``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from zhifa.core.security import audit

        token = audit.bind_request(request)
        try:
            return self.get_response(request)
        finally:
            audit.unbind_request(token)

    def process_exception(self, request, exception):
        from django.core.exceptions import PermissionDenied
        from django.http import Http404
        from django.urls import Resolver404

        if isinstance(exception, PermissionDenied) or (
            isinstance(exception, Http404) and not isinstance(exception, Resolver404)
            and getattr(request, "user", None) is not None and request.user.is_authenticated
        ):
            record_denial(request, 403 if isinstance(exception, PermissionDenied) else 404)
        return None


def record_denial(request, status: int) -> None:
    from zhifa.core.security import audit

    audit.record("denied", audit.DENIED, request=request, object=request.path[:200],
                 detail={"status": status, "method": request.method})
