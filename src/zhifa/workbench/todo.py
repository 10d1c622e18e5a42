"""The to-do list (待办事项) on each role's home page (issue 20 point 2).

A list of providers, each ``(actor) -> list[TodoItem]``: what the actor must do next, most urgent
first, at most ``LIMIT`` each (one query each, none when the role does not apply). The home page
shows them grouped; the navigation shows their total on the 工作台 link (``nav_count``: kept in the
session by the home page, so other pages pay no query for it). ``items_for`` runs the providers
once per request (kept on the actor).

Adding a source is one function and one line in ``PROVIDERS``.
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from zhifa.core import clock, workdays
from zhifa.registry.access import Role
from zhifa.supervision.selectors_alerts import open_alerts_for

LIMIT = 10
SOON_WORKING_DAYS = 3  # amber within 3 working days, as the case list (cases.views.SOON_WORKING_DAYS)


@dataclass(frozen=True)
class TodoItem:
    """One thing to do: ``group`` (the heading it is listed under), what and for whom (``title``,
    ``detail``), the page that does it (``href``, one click), and its deadline if any."""

    group: str
    title: str
    href: str
    detail: str = ""
    due: dt.date | None = None
    action: str = "办理"

    def level(self, today: dt.date, soon_until: dt.date) -> str:
        if self.due is None:
            return ""
        if self.due < today:
            return "overdue"
        return "soon" if self.due <= soon_until else ""


def _has(actor, *roles: Role) -> bool:
    return any(role in actor.roles for role in roles)


def _acting_officer(actor) -> bool:
    officer = getattr(actor, "officer", None)
    return officer is not None and not officer.is_auxiliary


# --- The officer (执法人员) ------------------------------------------------------------------

def my_cases_by_deadline(actor) -> list[TodoItem]:
    """我承办的案件, by the next deadline (the stored ``next_due``); decided cases are listed under
    文书送达 instead."""
    if not _acting_officer(actor):
        return []
    from zhifa.cases import selectors, workflow

    qs = (selectors.filter_cases(actor, selectors.CaseFilter(mine=True)).filter(next_due__isnull=False)
          .exclude(state="decided").order_by("next_due", "pk").only("pk", "number", "party_name", "state", "next_due"))
    return [TodoItem("案件期限", f"{c.number} {c.party_name}", reverse("cases:detail", args=[c.pk]),
                     workflow.state_label(c.state), c.next_due) for c in qs[:LIMIT]]


def documents_to_serve(actor) -> list[TodoItem]:
    """处罚决定书待送达: the actor's decided cases (送达 within 7 days, 行政处罚法第六十一条)."""
    if not _acting_officer(actor):
        return []
    from zhifa.cases import selectors

    qs = (selectors.filter_cases(actor, selectors.CaseFilter(mine=True, state="decided"))
          .order_by("next_due", "pk").only("pk", "number", "party_name", "next_due"))
    return [TodoItem("文书送达", f"{c.number} {c.party_name}", reverse("cases:detail", args=[c.pk]) + "#action-serve",
                     "处罚决定书待送达", c.next_due, "送达") for c in qs[:LIMIT]]


def inspections_to_record(actor) -> list[TodoItem]:
    """我的检查 still to be recorded (待录入)."""
    if not _acting_officer(actor):
        return []
    from zhifa.inspections import selectors

    qs = selectors.my_inspections(actor, "pending")
    return [TodoItem("检查待录入", i.entity.name, reverse("inspections:record_result", args=[i.pk]),
                     i.task.title, None, "录入结果") for i in qs[:LIMIT]]


def follow_ups(actor) -> list[TodoItem]:
    """柔性执法待回访: the actor's flexible acts whose follow-up day has come."""
    if not _acting_officer(actor):
        return []
    from zhifa.cases import flexible_selectors

    qs = flexible_selectors.follow_ups_due(actor, clock.today())
    return [TodoItem("柔性执法回访", f"{a.party_name} · {a.get_kind_display()}",
                     reverse("cases:flexible_follow_up", args=[a.pk]), a.item.name if a.item_id else "",
                     a.follow_up_on, "回访") for a in qs[:LIMIT]]


# --- The head (主体负责人) -------------------------------------------------------------------

def approvals(actor) -> list[TodoItem]:
    """负责人审批: filing, case review, decisions, hearings, seizures, deferrals, closing."""
    if not _has(actor, Role.HEAD):
        return []
    from zhifa.cases import selectors

    qs = selectors.pending_approvals(actor).only("pk", "number", "party_name", "next_due")
    return [TodoItem("审批与决定", f"{c.number} {c.party_name}", reverse("cases:detail", args=[c.pk]),
                     selectors.APPROVAL_LABELS.get(c.pending, c.pending), c.next_due, "审批") for c in qs[:LIMIT]]


def transfers_waiting(actor) -> list[TodoItem]:
    """行政执法与刑事司法衔接: the body's transfers with a running duty clock, most urgent first."""
    if not _has(actor, Role.HEAD):
        return []
    from zhifa.transfers import selectors

    qs = selectors.visible_transfers(actor).filter(next_due_at__isnull=False).order_by("next_due_at", "pk")
    return [TodoItem("移送待办", t.suspected_offence or f"移送{t.pk}", reverse("transfers:detail", args=[t.pk]),
                     t.get_state_display(), timezone.localdate(t.next_due_at))
            for t in qs[:LIMIT]]


def notices_to_answer(actor) -> list[TodoItem]:
    """监督通知书待整改反馈 (issued or returned to the body)."""
    if not _has(actor, Role.HEAD) or actor.body_id is None:
        return []
    from zhifa.supervision.models import SupervisionNotice

    qs = SupervisionNotice.objects.filter(body_id=actor.body_id, state__in=("issued", "returned")).order_by("due", "pk")
    return [TodoItem("监督通知书", f"{n.number} {n.title}", reverse("supervision:notice", args=[n.pk]),
                     n.get_state_display(), n.due, "整改反馈") for n in qs[:LIMIT]]


# --- The legal reviewer (法制审核人员) ---------------------------------------------------------

def reviews(actor) -> list[TodoItem]:
    """法制审核: the reviews assigned to the reviewer, by the case's next deadline."""
    if not _has(actor, Role.LEGAL_REVIEWER):
        return []
    from zhifa.cases import selectors

    return [TodoItem("法制审核", f"{r.case.number} {r.case.party_name}", reverse("cases:detail", args=[r.case_id]) + "#action-complete_review",
                     f"{r.requested_on:%Y-%m-%d} 提请", r.case.next_due, "审核")
            for r in selectors.pending_reviews(actor)[:LIMIT]]


# --- The supervision office (执法监督机构) -----------------------------------------------------

def notices_overdue(actor) -> list[TodoItem]:
    """监督通知书逾期未反馈 in the office's jurisdiction."""
    if not _has(actor, Role.SUPERVISOR):
        return []
    from zhifa.supervision import selectors

    qs = selectors.notices(actor).filter(state__in=("issued", "returned"), due__lt=clock.today()).order_by("due", "pk")
    return [TodoItem("逾期未反馈的监督通知书", f"{n.number} {n.body.name}", reverse("supervision:notice", args=[n.pk]),
                     n.title + (f" · 已报请{n.escalated_to}处理" if n.escalated_on else " · 已催办" if n.reminded_on else ""),
                     n.due, "督办") for n in qs[:LIMIT]]


def evaluations_assigned(actor) -> list[TodoItem]:
    """案卷评查: the evaluations assigned to this user and not yet submitted."""
    if not _has(actor, Role.SUPERVISOR):
        return []
    from zhifa.supervision import selectors

    qs = (selectors.evaluations(actor, state="assigned").filter(evaluator_id=actor.user.pk)
          .select_related("body", "case_file__case").order_by("pk"))
    return [TodoItem("案卷评查", f"{e.case_file.case.number or e.case_file.case_id} · {e.body.name}",
                     reverse("supervision:evaluation", args=[e.pk]), "待评查", None, "评查") for e in qs[:LIMIT]]


# --- Alerts (预警, R33) ------------------------------------------------------------------------

def open_alerts(actor) -> list[TodoItem]:
    """The live alerts in the actor's scope: the office's jurisdiction (contested first), a head's
    body, an officer's own cases; each opens the alert with its evidence."""
    return [TodoItem("预警提示", a["message"], a["url"], f'{a["rule_name"]} · {a["body"]}', None, "查看")
            for a in open_alerts_for(actor, LIMIT)]


PROVIDERS: list[Callable] = [
    my_cases_by_deadline, documents_to_serve, inspections_to_record, follow_ups,
    approvals, transfers_waiting, notices_to_answer,
    reviews,
    notices_overdue, evaluations_assigned,
    open_alerts,
]


def items_for(actor) -> list[TodoItem]:
    """Every provider's items for ``actor``, computed once per request (kept on the actor)."""
    cached = getattr(actor, "_todo_items", None)
    if cached is None:
        cached = [item for provider in PROVIDERS for item in provider(actor)]
        object.__setattr__(actor, "_todo_items", cached)  # the actor is frozen, and lives one request
    return cached


def count(actor) -> int:
    """How many to-dos (each provider counts at most ``LIMIT``)."""
    return len(items_for(actor))


SESSION_KEY = "zhifa_todo_count"
REFRESH_SECONDS = 300


def nav_count(actor, request=None) -> int:
    """The badge on the 工作台 link, folded to no query on most pages: the home page computes the
    list and keeps its length in the session (with the time); other pages show that figure, and
    count again only when it is older than ``REFRESH_SECONDS``. Before the first visit to the home
    page (the login lands there) no badge is shown."""
    session = getattr(request, "session", None)
    items = getattr(actor, "_todo_items", None)
    if session is None:
        return len(items) if items is not None else count(actor)
    if items is None:
        stored = session.get(SESSION_KEY)
        if not stored:
            return 0
        if time.time() - stored[1] < REFRESH_SECONDS:
            return stored[0]
        items = items_for(actor)
    session[SESSION_KEY] = [len(items), time.time()]
    return len(items)


nav_count.wants_request = True


def grouped(actor, today: dt.date | None = None) -> list[dict]:
    """The to-dos by group, in provider order, each with its colour (overdue red, soon amber)."""
    today = today or clock.today()
    soon_until = workdays.schedule().add_working_days(today, SOON_WORKING_DAYS).date
    groups: dict[str, list] = {}
    for item in items_for(actor):
        groups.setdefault(item.group, []).append({"item": item, "level": item.level(today, soon_until)})
    return [{"name": name, "rows": rows} for name, rows in groups.items()]


def tile(actor, today: dt.date) -> dict | None:
    """The home page's 待办事项 tile (declared in ``builtin_nav``): always shown to staff."""
    if actor.officer is None and not _has(actor, Role.SUPERVISOR):
        return None
    return {"todo_groups": grouped(actor, today), "todo_count": count(actor)}
