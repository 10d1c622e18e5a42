"""The JSON API under ``/api/v1/`` (django-ninja): token auth, error shapes of contract.md (every
error under ``/api/`` is JSON ``{"detail": …}``: 400, 401, 403, 404, 405, 409, 422, 500),
and every app's router mounted in one place."""
from __future__ import annotations

import datetime as dt
import functools
import inspect

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import URLPattern
from ninja import Field, NinjaAPI, Schema, Status, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from zhifa.core import clock
from zhifa.core.forms import error_message
from zhifa.core.api_auth import OPTIONAL_AUTH, STAFF_AUTH, InvalidToken
from zhifa.core.models import ApiToken
from zhifa.core.pagination import CleanText
from zhifa.core.security.middleware import record_denial
from zhifa.core.violations import Refused
from zhifa.error_pages import bad_request, method_not_allowed, not_found, server_error  # noqa: F401 — handlers, importable here as before


# The auth classes live in core so that routers can name them without importing this module.
__all__ = ["api", "STAFF_AUTH", "OPTIONAL_AUTH"]


class ChineseJSONRenderer(JSONRenderer):
    """Readable Chinese in responses (curl, logs) instead of \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class ZhifaAPI(NinjaAPI):
    """The ninja API whose URL views answer a method no operation of the path accepts (``DELETE
    /api/v1/cases``) with the JSON 405 of contract.md and the ``Allow`` header, not ninja's plain
    "Method not allowed"."""

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_method_not_allowed(pattern.callback)
        return patterns, app_name, namespace


def _json_method_not_allowed(view):
    def answer(request, response):
        if response.status_code != 405 or response.get("Content-Type", "").startswith("application/json"):
            return response
        return method_not_allowed(request, [m.strip() for m in response.get("Allow", "").split(",") if m.strip()])

    if inspect.iscoroutinefunction(view):
        @functools.wraps(view)
        async def async_view(request, *args, **kwargs):
            return answer(request, await view(request, *args, **kwargs))

        return async_view

    @functools.wraps(view)  # keeps csrf_exempt
    def sync_view(request, *args, **kwargs):
        return answer(request, view(request, *args, **kwargs))

    return sync_view


api = ZhifaAPI(
    renderer=ChineseJSONRenderer(),
    title="zhifa 行政执法平台接口",
    version="1",
    description="行政执法主体、人员、事项、案件等接口。认证：POST /api/v1/auth/token 取得令牌后使用 Authorization: Bearer。",
    urls_namespace="api",
    auth=STAFF_AUTH,
    # Served from our own static files ("ninja" in INSTALLED_APPS); no validator badge, which
    # would send the document's address to validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
)


# --- Error shapes (contract.md) -----------------------------------------------------------

def chinese_errors(errors: list[dict]) -> list[dict]:
    """Pydantic errors as ``[{"field", "message"}]`` with Chinese messages."""
    result = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        # Drop the source ("query", "body" …) and ninja's "payload" wrapper, keep a field named "body".
        if loc and loc[0] in ("body", "query", "path", "header", "cookie", "form", "file"):
            loc = loc[1:]
        if loc and loc[0] == "payload":
            loc = loc[1:]
        message = error_message(error)
        result.append({"field": ".".join(loc) or None, "message": message, "type": error.get("type")})
    return result


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    return api.create_response(request, {"detail": "输入有误", "errors": chinese_errors(exc.errors)}, status=422)


@api.exception_handler(Refused)
def on_refused(request, exc: Refused):
    return api.create_response(request, exc.as_dict(), status=409)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        record_denial(request, 404)  # an object out of scope answers 404 (security audit log)
    return api.create_response(request, {"detail": "未找到，或您无权查看。"}, status=404)


@api.exception_handler(PermissionDenied)
def on_denied(request, exc):
    record_denial(request, 403)
    return api.create_response(request, {"detail": str(exc) or "无权执行此操作。"}, status=403)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    """401 with the challenge of RFC 6750 §3: ``error="invalid_token"`` when a bearer token was
    presented and refused, a bare ``Bearer`` challenge when no credential came at all."""
    response = api.create_response(request, {"detail": "未登录或令牌无效。"}, status=401)
    response["WWW-Authenticate"] = 'Bearer error="invalid_token"' if isinstance(exc, InvalidToken) else "Bearer"
    return response


@api.exception_handler(Exception)
def on_unexpected(request, exc: Exception):
    """An unexpected failure goes on to Django, which logs it and answers with ``handler500``
    (JSON under ``/api/``) — in debug too, where ninja would answer a plain-text traceback."""
    raise exc


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    detail = str(exc)
    if detail.startswith("Cannot parse request body"):  # ninja's message for malformed JSON
        detail = "请求体不是合法的 JSON。"
    elif detail == "CSRF check Failed":  # ninja: a session cookie without the CSRF token
        detail = "CSRF 校验失败：请刷新页面后重试，或者使用接口令牌。"
    elif exc.status_code == 403:
        record_denial(request, 403)
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


# --- Authentication -----------------------------------------------------------------------

class TokenIn(Schema):
    username: CleanText
    password: CleanText
    otp: CleanText | None = Field(None, max_length=32, description="动态验证码（已启用双因素认证的账号）")


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


@api.post("/auth/token", auth=None, response={200: TokenOut, 401: dict, 403: dict, 429: dict}, tags=["认证"], summary="用户名密码换取接口令牌")
def issue_token(request, payload: TokenIn):
    """Repeated failures lock the account and the address (429, core/security/lockout.py)."""
    from django.conf import settings

    from zhifa.core.security.lockout import lockout_message
    from zhifa.core.security.passwords import password_expired

    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        return Status(429, {"detail": lockout_message()})
    if user is None or not user.is_active:
        return Status(401, {"detail": "用户名或密码错误。"})
    if password_expired(user):
        return Status(403, {"detail": "密码已超过有效期，请先登录页面修改密码后再申请令牌。"})
    from zhifa.core.security.totp import token_refusal

    refused = token_refusal(request, user, payload.otp)
    if refused is not None:
        return Status(refused[0], {"detail": refused[1]})
    # A token login is a login: last_login, the lockout's reset on success, the audit log.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    key = ApiToken.new_key()
    expires = clock.now() + dt.timedelta(days=settings.API_TOKEN_TTL_DAYS)
    ApiToken.objects.create(user=user, digest=ApiToken.digest_of(key), expires_at=expires)
    return {"token": key, "expires_at": expires}


class LogoutOut(Schema):
    detail: str


@api.post("/auth/logout", response={200: LogoutOut}, tags=["认证"], summary="退出登录：吊销本次使用的令牌")
def logout_token(request):
    """Revokes the bearer token of the request (it answers 401 from then on); a page session
    calling it is logged out instead."""
    from django.contrib.auth import logout

    token = getattr(request, "api_token", None)
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).delete()
        user_logged_out.send(sender=request.user.__class__, request=request, user=request.user)
    else:
        logout(request)
    return {"detail": "已退出登录，令牌已吊销。"}


# --- Routers ------------------------------------------------------------------------------

def _mount() -> None:
    from zhifa.cases.api import router as cases_router
    from zhifa.cases.api_flexible import router as flexible_router
    from zhifa.catalog.api import router as catalog_router
    from zhifa.catalog.api_assess import router as assess_router
    from zhifa.core.api import router as core_router
    from zhifa.documents.api import router as documents_router
    from zhifa.inspections.api import router as inspections_router
    from zhifa.offsite.api import router as offsite_router
    from zhifa.registry.api import router as registry_router
    from zhifa.registry.api_imports import router as imports_router
    from zhifa.supervision.api import router as supervision_router
    from zhifa.supervision.api_statistics import router as statistics_router
    from zhifa.transfers.api import router as transfers_router
    from zhifa.api_public import router as public_router
    from zhifa.core.security.api import router as audit_router
    from zhifa.portal.api import router as portal_router

    api.add_router("/", registry_router)
    api.add_router("/", catalog_router)
    api.add_router("/", assess_router)
    api.add_router("/", core_router)
    api.add_router("/", documents_router)
    api.add_router("/", cases_router)
    api.add_router("/", flexible_router)
    api.add_router("/", inspections_router)
    api.add_router("/", offsite_router)
    api.add_router("/", imports_router)
    api.add_router("/", supervision_router)
    api.add_router("/", statistics_router)
    api.add_router("/", transfers_router)
    api.add_router("/", public_router)
    api.add_router("/", audit_router)
    api.add_router("/", portal_router)


_mount()
