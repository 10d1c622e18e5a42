"""Error answers (错误页面) of the whole site: JSON ``{"detail": …}`` under ``/api/``
(contract.md), the Chinese pages (``templates/400.html``, ``403.html``, ``404.html``,
``500.html``) everywhere else — in debug too.

Django answers with its English debug pages when ``DEBUG`` is on, and the unmatched-URL page
lists every route of the site. ``make run`` serves the demo with ``ZHIFA_DEBUG=1``, so
``ChineseErrorPages`` (a middleware) answers a missing page, a refused request and a failure
with the same handlers production uses. Developers who want Django's pages set
``ZHIFA_DEBUG_PAGES=1``.
"""
from __future__ import annotations

import logging

from django.conf import settings
from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import Resolver404, resolve
from django.utils.log import log_response
from django.views import defaults

security_logger = logging.getLogger("django.security")


def _api_error(request, status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    """``handler404`` of the root URLconf: a URL under ``/api/`` that no route matches (an unknown
    path, ``/documents/-1.pdf`` missing the ``int`` converter) gets the JSON 404 of the API, not
    the HTML page."""
    if _is_api(request):
        return _api_error(request, 404, "未找到，或您无权查看。")
    return defaults.page_not_found(request, exception)


def bad_request(request, exception=None):
    """``handler400``: what Django refuses before any view (more than 1,000 parameters, a body over
    the upload limit …) is JSON under ``/api/`` too."""
    if _is_api(request):
        return _api_error(request, 400, "请求不合法（参数过多或者请求体过大）。")
    return defaults.bad_request(request, exception)


def method_not_allowed(request, allowed: list[str]):
    """405 under ``/api/``: JSON naming the refused method, with the ``Allow`` header."""
    allowed = sorted(set(allowed))
    response = _api_error(request, 405, f"不支持的请求方法 {request.method}：此地址只接受 {'、'.join(allowed)}。")
    response["Allow"] = ", ".join(allowed)
    return response


DATABASE_UNAVAILABLE = "数据库暂时无法连接，系统正在自动恢复，请稍后重试；问题持续时请联系系统管理员。"
RETRY_AFTER_SECONDS = 5


def database_unavailable(exception) -> bool:
    """The database went away (a killed backend, a restart, a network cut, SQLite busy): Django's
    ``OperationalError`` / ``InterfaceError``. Not a fault of the request: a 503, to be retried."""
    from django.db import InterfaceError, OperationalError

    return isinstance(exception, (OperationalError, InterfaceError))


def unavailable(request):
    """503 with ``Retry-After``: JSON under ``/api/``, the Chinese page elsewhere; never a
    traceback. The broken connection is closed at the end of the request (Django closes an
    unusable connection on ``request_finished``; ``CONN_HEALTH_CHECKS`` checks a reused one),
    so the requests after the database returns are served again."""
    from django.db import connections
    from django.http import HttpResponse
    from django.template.loader import render_to_string

    for conn in connections.all(initialized_only=True):
        # a dead connection is dropped now (a new one is opened by the next query) rather than at
        # the end of the request; one inside a transaction is left to the transaction's owner
        if conn.connection is not None and not conn.in_atomic_block and not conn.is_usable():
            conn.close()
    if _is_api(request):
        response = _api_error(request, 503, DATABASE_UNAVAILABLE)
    else:
        response = HttpResponse(render_to_string("503.html", {"message": DATABASE_UNAVAILABLE}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.database_unavailable = True  # ``RetryReadOnce`` tries a read once more
    return response


class RetryReadOnce:
    """A read (GET or HEAD) that met the database gone away — typically a backend killed or
    restarted under a connection the worker reused — is run once more on a fresh connection before
    the 503 is given (issue 15 §6: "retry idempotent reads once"). Only when no transaction is open
    (nothing of the first attempt can be half-kept) and only once: a database that is really down
    still answers the 503 at once. Writes are never retried: their transaction rolled back whole and
    the user sees the 503 and decides."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import connections

        response = self.get_response(request)
        if (request.method in ("GET", "HEAD") and getattr(response, "database_unavailable", False)
                and not any(conn.in_atomic_block for conn in connections.all(initialized_only=True))):
            for conn in connections.all(initialized_only=True):
                conn.close()
            response = self.get_response(request)
        return response


def server_error(request, exception=None):
    """``handler500``: an unexpected failure under ``/api/`` answers JSON too (Django has logged
    it with its traceback before calling this); the database going away is a 503."""
    import sys

    if database_unavailable(exception if exception is not None else sys.exc_info()[1]):
        return unavailable(request)
    if _is_api(request):
        return _api_error(request, 500, "服务器内部错误，请稍后重试；问题持续时请联系系统管理员。")
    return defaults.server_error(request)


def csrf_failure(request, reason: str = ""):
    """``CSRF_FAILURE_VIEW``: a form posted from a page left open too long (the session ended)
    or from elsewhere gets the Chinese 403 page saying what to do, not Django's English page
    (which, in debug, explains CSRF to a developer)."""
    if _is_api(request):
        return _api_error(request, 403, "CSRF 校验失败：请刷新页面后重试，或者使用接口令牌。")
    return defaults.permission_denied(
        request, PermissionDenied("页面已过期或来源无法确认（CSRF 校验失败）：请刷新页面后重新提交。")
    )


class ChineseErrorPages:
    """In debug, the answers production gives instead of Django's debug pages: an unmatched URL
    is the Chinese 404 (JSON under ``/api/``), a view's ``Http404`` too, a bad request the 400,
    any other failure the 500 — logged with its traceback on the console as Django logs it.
    ``PermissionDenied`` needs nothing: Django answers it with ``handler403`` in debug too.
    Outside debug (or with ``ZHIFA_DEBUG_PAGES=1``) it steps aside; it is checked per request so
    that ``override_settings(DEBUG=True)`` works in tests."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._active():
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404 as exc:
                # CommonMiddleware (outside this one) still redirects `/path` to `/path/`.
                return not_found(request, exc)
        return self.get_response(request)

    @staticmethod
    def _active() -> bool:
        return settings.DEBUG and not getattr(settings, "DEBUG_ERROR_PAGES", False)

    def process_exception(self, request, exception):
        if not self._active():
            return None
        if isinstance(exception, Http404):
            return not_found(request, exception)
        if isinstance(exception, (SuspiciousOperation, BadRequest, MultiPartParserError)):
            if isinstance(exception, SuspiciousOperation):
                security_logger.error(str(exception), extra={"status_code": 400, "request": request})
            return bad_request(request, exception)
        if isinstance(exception, PermissionDenied):
            return None
        # As Django's own handling: tell the test client (it re-raises), log with the traceback.
        signals.got_request_exception.send(sender=None, request=request)
        response = server_error(request, exception)
        log_response(
            "%s: %s", "Internal Server Error", request.path, response=response, request=request, exception=exception
        )
        return response
