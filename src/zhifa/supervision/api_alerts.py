"""The alerts API (预警, R33; contract.md "Wave 2 interface"): the published rule catalogue (open
to anyone: a body sees why it was flagged), the alerts in the actor's scope (filters ``rule``,
``body``, ``state``, ``case``; paginated; staff see their body's, supervisors their jurisdiction's),
one alert with its evidence, the actions on it, and the "no occurrence expected" marks."""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Optional

from ninja import Field, Query, Schema, Status

from zhifa.core.api_auth import STAFF_AUTH
from zhifa.core.pagination import Id, PageQuery, page_of
from zhifa.registry import access

from . import inputs, services
from . import selectors_alerts as sel
from .api import ACT_ERRORS, ERRORS, router
from .rules import alerts as rules


class AlertRuleOut(Schema):
    code: str
    name: str
    category: str
    basis: str = Field(..., description="法律依据")
    description: str
    params: dict[str, Any] = Field(..., description="阈值、期间等参数（可配置）")
    threshold: dict[str, Any] = Field(..., description="同 params（contract.md 的 threshold）")
    version: int


class AlertRulesOut(Schema):
    catalogue_version: str
    items: list[AlertRuleOut]


class AlertOut(Schema):
    id: int
    rule: str
    rule_name: str
    rule_version: int
    body_id: int
    body: str
    case_id: Optional[int]
    case_number: str
    transfer_id: Optional[int]
    officer_id: Optional[int]
    item_id: Optional[int]
    message: str
    basis: str
    raised_on: dt.date
    closed_on: Optional[dt.date]
    state: str = Field(..., description="open / closed / converted / contested / dismissed")
    notice_id: Optional[int]


class AlertDetailOut(AlertOut):
    evidence: dict[str, Any]
    steps: list[dict[str, Any]]


class AlertPage(Schema):
    items: list[AlertOut]
    count: int
    page: int
    page_size: int


class AlertFilters(PageQuery):
    rule: Optional[str] = Field(None, max_length=40, description="规则代码，如 OVERDUE_STEP")
    body: Optional[int] = Field(None, ge=1, le=2**63 - 1)
    state: Optional[Literal["open", "closed", "converted", "contested", "dismissed"]] = None
    case: Optional[int] = Field(None, ge=1, le=2**63 - 1)


class MarkOut(Schema):
    id: int
    item_id: int
    body_id: int
    reason: str
    approver: str
    marked_on: dt.date
    withdrawn_on: Optional[dt.date]


def _rule_out(spec: rules.RuleSpec) -> dict:
    return {"code": spec.code, "name": spec.name, "category": spec.category, "basis": spec.basis, "description": spec.description,
            "params": dict(spec.params), "threshold": dict(spec.params), "version": spec.version}


def alert_out(a, specs=None, *, detail: bool = False) -> dict:
    spec = (specs or sel.catalogue()).get(a.rule)
    out = {"id": a.pk, "rule": a.rule, "rule_name": spec.name if spec else a.rule, "rule_version": a.rule_version,
           "body_id": a.body_id, "body": a.body.name, "case_id": a.case_id, "case_number": a.case.number if a.case_id else "",
           "transfer_id": a.transfer_id, "officer_id": a.officer_id, "item_id": a.item_id, "message": a.message,
           "basis": spec.basis if spec else "", "raised_on": a.raised_on, "closed_on": a.closed_on, "state": a.state,
           "notice_id": a.notice_id}
    if detail:
        out["evidence"] = a.evidence
        out["steps"] = sel.steps_of(a)
    return out


@router.get("/supervision/alert-rules", auth=None, response={200: AlertRulesOut}, summary="预警规则目录（公开：代码、名称、法律依据、阈值、版本）")
def alert_rules(request):
    return {"catalogue_version": sel.catalogue_version(), "items": [_rule_out(s) for s in sel.catalogue().values()]}


@router.get("/supervision/alerts", auth=STAFF_AUTH, response={200: AlertPage, **ERRORS}, summary="预警列表（本主体或所辖区划）")
def list_alerts(request, filters: Query[AlertFilters]):
    qs = sel.filter_alerts(access.request_actor(request), sel.AlertFilter(rule=filters.rule or "", body=filters.body,
                                                                          state=filters.state or "", case=filters.case))
    specs = sel.catalogue()
    return page_of(qs, filters, lambda a: alert_out(a, specs))


@router.get("/supervision/alerts/{alert_id}", auth=STAFF_AUTH, response={200: AlertDetailOut, **ERRORS}, summary="一条预警及其依据数据、办理环节")
def get_alert(request, alert_id: Id):
    return alert_out(sel.get_alert(access.request_actor(request), alert_id), detail=True)


@router.post("/supervision/alerts/{alert_id}/actions/{action}", auth=STAFF_AUTH, response={200: AlertDetailOut, **ACT_ERRORS},
             summary="convert（转为监督通知书）、contest（主体提出异议）、uphold / dismiss（监督机构决定异议）")
def alert_action(request, alert_id: Id, action: Literal["convert", "contest", "uphold", "dismiss"], data: inputs.AlertActionIn):
    actor = access.request_actor(request)
    services.act_on_alert(alert_id, action, data, actor=actor)
    return alert_out(sel.get_alert(actor, alert_id), detail=True)


@router.post("/supervision/no-occurrence-marks", auth=STAFF_AUTH, response={201: MarkOut, **ACT_ERRORS},
             summary="标注执法事项预计不发生（理由、批准人），零办件预警不再提示")
def mark_item(request, data: inputs.NoOccurrenceIn):
    mark = services.mark_no_occurrence(data, actor=access.request_actor(request))
    return Status(201, mark)


@router.post("/supervision/no-occurrence-marks/{mark_id}/withdraw", auth=STAFF_AUTH, response={200: MarkOut, **ACT_ERRORS},
             summary="撤销预计不发生的标注")
def withdraw_mark(request, mark_id: Id):
    return services.withdraw_no_occurrence(mark_id, actor=access.request_actor(request))
