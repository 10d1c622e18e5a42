"""Personal data on the staff pages (个人信息最小必要, PIPL art. 6 and 51; GB/T 22239-2019
8.1.4.11): ID numbers, phones and home addresses of parties, complainants and colleagues are
masked by default (``core.redaction``: 3****************X, 138****8000, 杭州市西湖区（详细地址已隐去）).
A page shows them in full only on the explicit "显示完整信息" action (``?show=personal``), only
to the roles that need them for the act at hand — each app decides who (the case's officers, the
head, the reviewer; the officer and the body's head; the complaint's handlers) — and every full
view is a ``personal_data_viewed`` entry of the security audit log; a refused one is a 403,
recorded as a denial."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied

from zhifa.core.security import audit

SHOW_PARAM, SHOW_VALUE = "show", "personal"


def asked(request) -> bool:
    """The user asked to see the personal data of the page in full."""
    return request.GET.get(SHOW_PARAM) == SHOW_VALUE


def full_view(request, *, allowed: bool, object: str, fields: list[str]) -> bool:
    """Whether the page shows ``fields`` of ``object`` in full: only when asked and ``allowed``
    (recorded); asked and not allowed is a 403 (recorded by ``AuditContext`` as a denial)."""
    if not asked(request):
        return False
    if not allowed:
        raise PermissionDenied("您无权查看该对象的完整个人信息（仅限办理该事项的工作人员）。")
    audit.record("personal_data_viewed", object=object, detail={"fields": fields})
    return True


def context(request, *, allowed: bool, object: str, fields: list[str]) -> dict:
    """What a page's template needs: ``full`` (show in full), ``may_show`` (offer the action),
    ``show_url`` (the action's link)."""
    full = full_view(request, allowed=allowed, object=object, fields=fields)
    query = request.GET.copy()
    query[SHOW_PARAM] = SHOW_VALUE
    return {"full": full, "may_show": allowed, "show_url": f"{request.path}?{query.urlencode()}"}
