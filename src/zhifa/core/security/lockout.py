"""Login lockout (登录失败处理, GB/T 22239-2019 8.1.4.1 b): django-axes counts failed logins of
the login page and of ``POST /api/v1/auth/token`` alike, per account and per client address, and
refuses every login — the right password included — while either count is at its limit, for
``ZHIFA_LOCKOUT_MINUTES``. The answer is 429 with a Chinese message: JSON under ``/api/``, the
login page elsewhere.

The two counts have their own limits (``ZHIFA_LOGIN_FAILURE_LIMIT`` per account,
``ZHIFA_LOGIN_ADDRESS_FAILURE_LIMIT`` per address): an office behind one NAT address must not be
locked out by a few colleagues' typing errors, while a guesser trying many accounts from one
address is stopped. axes compares one number with one limit, so ``LockoutHandler`` hands it the
larger of the two counts scaled to the account limit.
"""
from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.template.response import TemplateResponse

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"登录失败次数过多，该账号或本机地址已被暂时锁定，请 {minutes} 分钟后再试；"
        "如需立即解锁，请联系系统管理员。"
    )


class LockoutBackend(AxesStandaloneBackend):
    """axes's backend, first of ``AUTHENTICATION_BACKENDS``: refuses a locked-out login before the
    password is checked. ``authenticate`` without a request (the test client's ``login``, a
    management command) is no login over the network and is passed on to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LockoutHandler(AxesDatabaseHandler):
    """axes's database handler with a limit per lockout parameter (account, address)."""

    def get_failures(self, request, credentials=None) -> int:
        from django.db.models import Sum

        limit = settings.AXES_FAILURE_LIMIT
        limits = [settings.ZHIFA_LOGIN_LIMITS.get(_name(p), limit) for p in settings.AXES_LOCKOUT_PARAMETERS]
        scaled = 0
        for attempts, own_limit in zip(self.get_user_attempts(request, credentials), limits):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if count >= own_limit:
                return limit
            scaled = max(scaled, count * limit // own_limit)
        return min(scaled, limit - 1)


def _name(parameter) -> str:
    return parameter if isinstance(parameter, str) else "+".join(parameter)


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: 429, JSON ``{"detail"}`` under ``/api/``, else the login page
    with the message (its form stays usable once the lock ends)."""
    message = lockout_message()
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429, json_dumps_params={"ensure_ascii": False})
    else:
        from django.contrib.auth.forms import AuthenticationForm

        username = (credentials or {}).get("username") or request.POST.get("username", "")
        form = AuthenticationForm(request, initial={"username": username})
        response = TemplateResponse(
            request,
            "registration/login.html",
            {"form": form, "locked_message": message, "next": request.POST.get("next", "")},
            status=429,
        )
        response.render()
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
