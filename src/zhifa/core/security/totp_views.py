"""The pages of the second factor (core/security/totp.py): the code asked after the password
(``/accounts/login/otp/``) and the user's own enrolment page (``/account/otp/``: QR code,
confirmation, recovery codes, disabling)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from zhifa.core.security import totp


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return "/"
    return target


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """动态验证码: the second step of a login of a user with a device. A right code (or an unused
    recovery code) verifies the session; a wrong one is a failed login; ``MAX_CODE_FAILURES``
    wrong ones end the session (the password is asked again)."""
    user = request.user
    if request.session.get(totp.VERIFIED_KEY) is True or not totp.enrolled(user):
        return redirect(_next(request))
    error = ""
    if request.method == "POST":
        how = totp.verify(user, request.POST.get("code", ""))
        if how is not None:
            request.session.cycle_key()
            request.session[totp.VERIFIED_KEY] = True
            request.session.pop(totp.FAILURES_KEY, None)
            if how == "recovery":
                messages.warning(request, f"已使用一个备用验证码，剩余 {totp.unused_recovery_codes(user)} 个；用完前请在“双因素认证”页面重新生成。")
            return redirect(_next(request))
        totp.code_failed(request, user)
        failures = request.session.get(totp.FAILURES_KEY, 0) + 1
        request.session[totp.FAILURES_KEY] = failures
        if failures >= totp.MAX_CODE_FAILURES:
            request._zhifa_logout_reason = "second_factor_failed"
            logout(request)
            messages.error(request, "动态验证码连续错误次数过多，请重新登录。")
            return redirect("login")
        error = f"动态验证码不正确或已使用过（还可尝试 {totp.MAX_CODE_FAILURES - failures} 次）。"
    return render(request, "registration/otp_verify.html", {"error": error, "next": _next(request)},
                  status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """双因素认证: enrol an authenticator (scan the QR code, confirm with a first code: the ten
    recovery codes are shown once), renew the recovery codes or turn the second factor off (each
    proven with a current code). A user whose role must have it cannot turn it off."""
    user, codes, error = request.user, None, ""
    must = totp.required(user)
    if request.method == "POST":
        action, code = request.POST.get("action", ""), request.POST.get("code", "")
        if action == "confirm":
            codes = totp.confirm(user, code)
            if codes is not None:
                request.session[totp.VERIFIED_KEY] = True
                messages.success(request, "双因素认证已启用：以后登录时须在密码之后输入动态验证码。")
        elif action == "renew":
            codes = totp.regenerate(user, code)
        elif action == "disable" and not must:
            if totp.disable(user, code):
                messages.success(request, "双因素认证已关闭。")
                return redirect("otp_setup")
        else:
            error = "请求无效。"
        if codes is None and not error:
            error = "动态验证码不正确或已使用过，请等待验证器显示新的验证码后重试。"
    device = totp.start_enrolment(user)
    context = {"device": device, "codes": codes, "error": error, "must": must, "nav": "account",
               "left": totp.unused_recovery_codes(user) if device.confirmed_at else 0, "next": _next(request)}
    if device.confirmed_at is None:
        context["uri"], context["qr"] = totp.provisioning(user, device)
    return render(request, "registration/otp_setup.html", context, status=400 if error else 200)
