"""The password change page (修改密码): Django's view with the policy of
``AUTH_PASSWORD_VALIDATORS`` (core/security/passwords.py); the session stays logged in, every
other session and every API token of the user ends."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_http_methods


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = "/"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "密码已修改；其他设备上的登录和全部接口令牌已失效。")
        return response


def _audit_filters(request) -> tuple[dict, dict]:
    """The page's filters from the query (bad values are dropped, with a Chinese note each)."""
    import datetime as dt

    from zhifa.core.security import audit

    filters, notes = {}, {}
    for name in ("kind", "outcome", "username", "address", "object"):
        value = (request.GET.get(name) or "").strip()[:100]
        if not value:
            continue
        if name == "kind" and value not in audit.KIND_LABELS or name == "outcome" and value not in audit.OUTCOME_LABELS:
            notes[name] = "取值无效，已忽略"
            continue
        filters[name] = value
    for name in ("since", "until"):
        value = (request.GET.get(name) or "").strip()
        if value:
            try:
                filters[name] = dt.date.fromisoformat(value)
            except ValueError:
                notes[name] = "日期格式应为 YYYY-MM-DD，已忽略"
    return filters, notes


def audit_page(request):
    """安全审计 (``/security/audit/``): the log with filters, 50 a page; ``?format=csv`` exports
    the filtered entries (the export is itself recorded)."""
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied
    from django.http import StreamingHttpResponse
    from django.shortcuts import render

    from zhifa.core import clock
    from zhifa.core.listing import paginate
    from zhifa.core.security import audit

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not audit.may_read(request.user):
        raise PermissionDenied("仅系统管理员和安全审计员可以查看安全审计记录。")
    filters, notes = _audit_filters(request)
    rows = audit.events(**filters)
    if request.GET.get("format") == "csv":
        audit.record("export", object="security_audit", detail={"filters": {k: str(v) for k, v in filters.items()}})
        response = StreamingHttpResponse(audit.csv_rows(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="security-audit-{clock.today():%Y%m%d}.csv"'
        return response
    page = paginate(request, rows, per_page=50)
    for event in page:
        event.kind_label = audit.KIND_LABELS.get(event.kind, event.kind)
        event.outcome_label = audit.OUTCOME_LABELS.get(event.outcome, event.outcome)
    return render(request, "security/audit.html", {
        "page": page, "filters": filters, "notes": notes, "raw": request.GET,
        "kinds": audit.KIND_LABELS, "outcomes": audit.OUTCOME_LABELS, "chain": audit.verify() if request.GET.get("verify") else None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """我的账号: who I am, change the password, my sessions and API tokens with a revoke button each.
    POST ``revoke_session=<ref>`` or ``revoke_token=<id>``: only the user's own are found."""
    from django.shortcuts import redirect, render

    from zhifa.core.security import account as acc

    user, current = request.user, request.session.session_key
    if request.method == "POST":
        ref = (request.POST.get("revoke_session") or "")[:40]
        token = (request.POST.get("revoke_token") or "")[:12]
        if ref:
            done = acc.revoke_session(user, ref, current)
            (messages.success if done else messages.error)(request, "已结束该登录会话。" if done else "未找到该登录会话，或它是当前会话。")
        elif token.isdigit():
            done = acc.revoke_token(user, int(token))
            (messages.success if done else messages.error)(request, "已吊销该接口令牌。" if done else "未找到该接口令牌。")
        else:
            messages.error(request, "请求无效。")
        return redirect("account")
    context = {"sessions": acc.sessions_of(user, current), "tokens": list(acc.tokens_of(user)[:50]), "nav": "account"}
    return render(request, "registration/account.html", context)
