"""The alert engine's pure rules (预警规则, R33; legal-rules.md §A, §B, §C+, §E, §J).

No Django, no database, no clock: each rule takes the rows a selector prepared (plain tuples and
small dataclasses, built by set-based queries) and ``today``, and returns ``Candidate`` alerts.
A candidate's ``key`` (去重键) names the cause — the same cause gives the same key on every sweep,
so the service raises an alert once and closes it when its key is no longer produced.

The catalogue (``alert_rules.toml``) is data: code, name, basis, parameters and version.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# --- States of an alert (预警状态) and the actions on it -----------------------------------------
OPEN = "open"
CLOSED = "closed"
CONVERTED = "converted"     # 已转监督通知书
CONTESTED = "contested"     # 主体提出异议，待监督机构决定
DISMISSED = "dismissed"     # 异议成立，预警撤销
STATE_LABELS = {OPEN: "待处理", CLOSED: "已消除", CONVERTED: "已转监督通知书", CONTESTED: "异议待决定", DISMISSED: "异议成立已撤销"}
#: States in which the cause is still watched (the dedup key is unique among them).
LIVE = (OPEN, CONTESTED)

#: The Chinese names of the evidence's figures (the alert page shows them).
EVIDENCE_LABELS = {
    "kind": "期限类别代码", "kind_label": "期限", "due": "届满日期", "days_overdue": "逾期天数", "state": "环节", "decided_on": "决定日期",
    "missing": "缺少的文书", "collected_on": "当场收缴日期", "handover_days": "应交付期限（日）", "officers": "承办人员数",
    "certified": "持有效执法证的正式执法人员数", "required": "应达到", "year": "年度", "hours": "已培训学时", "reviewers": "法制审核人员数",
    "amount": "罚款金额（元）", "grade_low": "裁量档次下限（元）", "grade_high": "裁量档次上限（元）", "group_size": "同类案件数（含本案）",
    "median": "同类案件罚款中位数（元）", "mad": "绝对中位差 MAD（元）", "k": "偏离倍数阈值 k", "since": "统计起始日", "until": "统计截止日",
    "item_code": "事项编码", "received": "收到件数", "inspections": "检查次数", "expected": "随机抽取的期望次数（上限）", "acted": "受理办理件数", "cases": "案件数", "case_ids": "案件 ID", "party": "当事人", "threshold": "阈值",
}

CATEGORY_LABELS = {"overdue": "环节逾期", "defect": "程序瑕疵", "people": "人员资格", "unequal": "同案不同罚",
                   "zero": "零办件", "transfer": "移送", "selective": "选择性执法"}


@dataclass(frozen=True)
class RuleSpec:
    """One rule of the published catalogue (预警规则)."""

    code: str
    name: str
    category: str
    basis: str
    description: str
    version: int
    params: Mapping[str, Any] = field(default_factory=dict)


def parse_catalogue(data: Mapping[str, Any], overrides: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, RuleSpec]:
    """The catalogue from its TOML data; ``overrides`` (settings) replace a rule's parameters."""
    out: dict[str, RuleSpec] = {}
    for code, spec in data.items():
        if not isinstance(spec, Mapping):
            continue
        params = {**(spec.get("params") or {}), **((overrides or {}).get(code) or {})}
        out[code] = RuleSpec(code, spec["name"], spec["category"], spec["basis"], spec.get("description", ""),
                             int(spec["version"]), params)
    return out


@dataclass(frozen=True)
class Candidate:
    """An alert a rule finds today: its rule, dedup key, body, links, Chinese message and evidence."""

    rule: str
    key: str
    body_id: int
    message: str
    evidence: dict = field(default_factory=dict, hash=False, compare=False)
    case_id: int | None = None
    transfer_id: int | None = None
    officer_id: int | None = None
    item_id: int | None = None


def alert(spec: RuleSpec, cause: str, body_id: int, message: str, evidence: dict | None = None, **links) -> Candidate:
    """The one shape of every rule's candidate: the dedup key is the rule's code and the ``cause``
    (``case:42``, ``officer:7:2026`` …); ``links`` name the case, transfer, officer or item."""
    return Candidate(spec.code, f"{spec.code}:{cause}", body_id, message, evidence or {}, **links)


def case_alert(spec: RuleSpec, row, message: str, evidence: dict | None = None, *, cause: str = "", **links) -> Candidate:
    """A candidate about one case (``row`` has ``case_id``, ``body_id``): keyed ``case:<id>`` plus ``cause``."""
    return alert(spec, f"case:{row.case_id}{cause}", row.body_id, message, evidence, case_id=row.case_id, **links)


def case_name(row) -> str:
    """案件编号, or its id before it has one."""
    return str(row.number or row.case_id)


# --- Actions on an alert ---------------------------------------------------------------------
@dataclass(frozen=True)
class Action:
    code: str
    label: str
    side: str  # "office" or "body"
    sources: tuple[str, ...]
    target: str


ACTIONS = {
    "convert": Action("convert", "转为监督通知书", "office", (OPEN, CONTESTED), CONVERTED),
    "contest": Action("contest", "提出异议", "body", (OPEN,), CONTESTED),
    "uphold": Action("uphold", "异议不成立，维持预警", "office", (CONTESTED,), OPEN),
    "dismiss": Action("dismiss", "异议成立，撤销预警", "office", (CONTESTED,), DISMISSED),
}


def check_action(action: str, state: str, text: str) -> list[tuple[str, str]]:
    """(code, message) pairs refusing ``action`` on an alert in ``state``; contest and dismiss need reasons."""
    act = ACTIONS[action]
    out = []
    if state not in act.sources:
        out.append(("WRONG_STATE", f"预警处于“{STATE_LABELS.get(state, state)}”状态，不能{act.label}。"))
    if action in ("contest", "dismiss", "uphold") and len((text or "").strip()) < 2:
        out.append(("REASON_REQUIRED", "请写明理由。"))
    return out


# --- Overdue steps (环节逾期) ----------------------------------------------------------------------
KIND_LABELS = {
    "filing": "立案期限", "review": "法制审核期限", "preservation": "先行登记保存处理期限",
    "decision": "作出决定期限（90日，扣除中止期间）", "service": "决定书送达期限", "publication": "处罚决定公示期限",
    "withdrawal": "撤回公示信息期限", "seizure": "查封、扣押期限", "seizure_approval": "紧急措施补办批准期限",
    "handover": "当场收缴罚款交至机关期限", "court_last": "申请法院强制执行截止日",
}


@dataclass(frozen=True)
class DueRow:
    """A stored deadline of a case (``Case.next_due`` and its kind, ``publication_due``, a seizure's ``due``)."""

    case_id: int
    number: str
    body_id: int
    kind: str
    due: dt.date


def overdue_steps(rows: Iterable[DueRow], today: dt.date, spec: RuleSpec) -> list[Candidate]:
    """A case's stored deadline of a watched kind has passed (more than ``grace_days`` ago)."""
    kinds = set(spec.params.get("kinds", KIND_LABELS))
    grace = int(spec.params.get("grace_days", 0))
    out: dict[str, Candidate] = {}
    for r in rows:
        if r.kind not in kinds or r.due is None or (today - r.due).days <= grace:
            continue
        label = KIND_LABELS.get(r.kind, r.kind)
        found = case_alert(spec, r, f"案件{case_name(r)}的{label}已于{r.due.isoformat()}届满，已逾期{(today - r.due).days}日。",
                           {"kind": r.kind, "kind_label": label, "due": r.due.isoformat(), "days_overdue": (today - r.due).days},
                           cause=f":{r.kind}")
        out.setdefault(found.key, found)
    return list(out.values())


@dataclass(frozen=True)
class TransferDueRow:
    transfer_id: int
    case_id: int | None
    body_id: int
    state: str
    due: dt.date


def overdue_transfers(rows: Iterable[TransferDueRow], today: dt.date, spec: RuleSpec) -> list[Candidate]:
    """A transfer's most urgent duty clock (O310) has run out."""
    grace = int(spec.params.get("grace_days", 0))
    return [alert(spec, f"transfer:{r.transfer_id}:{r.state}", r.body_id, f"移送{r.transfer_id}在“{r.state}”环节的时限已于{r.due.isoformat()}届满。",
                  {"state": r.state, "due": r.due.isoformat(), "days_overdue": (today - r.due).days},
                  case_id=r.case_id, transfer_id=r.transfer_id)
            for r in rows if (today - r.due).days > grace]


# --- Procedural defects (程序瑕疵) -------------------------------------------------------------------
@dataclass(frozen=True)
class DecisionRow:
    """A decided case's procedural facts."""

    case_id: int
    number: str
    body_id: int
    procedure: str
    outcome: str
    decided_on: dt.date
    notice_served: bool
    is_major: bool
    review_passed: bool
    discussed: bool


def notice_not_served(rows: Iterable[DecisionRow], spec: RuleSpec) -> list[Candidate]:
    """APL arts.44, 62: a general-procedure penalty decided without a served notice (事先告知)."""
    outcomes = set(spec.params.get("outcomes", ["penalty"]))
    return [case_alert(spec, r, f"案件{case_name(r)}于{r.decided_on.isoformat()}作出处罚决定，没有送达行政处罚告知书的记录。",
                       {"decided_on": r.decided_on.isoformat()})
            for r in rows if r.procedure == "normal" and r.outcome in outcomes and not r.notice_served]


def documents_missing(rows: Iterable[DecisionRow], spec: RuleSpec) -> list[Candidate]:
    """APL arts.57, 58: a major case decided without a passed legal review or collective discussion."""
    out = []
    for r in rows:
        if r.procedure != "normal" or not r.is_major or r.outcome not in ("penalty", "no_penalty"):
            continue
        missing = [name for ok, name in ((r.review_passed, "法制审核意见书（审核通过）"), (r.discussed, "集体讨论笔录")) if not ok]
        if missing:
            out.append(case_alert(spec, r, f"案件{case_name(r)}属情节复杂或者重大违法行为，作出决定时缺少：{'、'.join(missing)}。",
                                  {"missing": missing, "decided_on": r.decided_on.isoformat()}))
    return out


@dataclass(frozen=True)
class CollectionRow:
    case_id: int
    number: str
    body_id: int
    collected_on: dt.date


def collection_not_handed_over(rows: Iterable[CollectionRow], today: dt.date, spec: RuleSpec) -> list[Candidate]:
    """APL art.71: money collected on the spot is handed over within 2 days (*configurable*)."""
    days = int(spec.params.get("handover_days", 2))
    return [case_alert(spec, r, f"案件{case_name(r)}于{r.collected_on.isoformat()}当场收缴罚款，{days}日内未交至行政机关。",
                       {"collected_on": r.collected_on.isoformat(), "handover_days": days})
            for r in rows if (today - r.collected_on).days > days]


# --- People (人员资格) ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class StaffingRow:
    """An open case's assigned officers: how many hold a valid certificate and are not auxiliary."""

    case_id: int
    number: str
    body_id: int
    officers: int
    certified: int


def uncertified_enforcement(rows: Iterable[StaffingRow], spec: RuleSpec) -> list[Candidate]:
    """APL arts.42, 76: at least two holders of valid certificates; auxiliary staff do not count."""
    need = int(spec.params.get("min_certified", 2))
    return [case_alert(spec, r, f"案件{case_name(r)}的承办人员{r.officers}名，其中持有效执法证的正式执法人员仅{r.certified}名（应不少于{need}名）。",
                       {"officers": r.officers, "certified": r.certified, "required": need})
            for r in rows if r.certified < need]


@dataclass(frozen=True)
class TrainingRow:
    officer_id: int
    name: str
    body_id: int
    year: int
    hours: float


def training_shortfall(rows: Iterable[TrainingRow], spec: RuleSpec) -> list[Candidate]:
    """seed D §三: at least 60 hours of training a year (*configurable*)."""
    need = float(spec.params.get("min_hours", 60))
    return [alert(spec, f"officer:{r.officer_id}:{r.year}", r.body_id, f"执法人员{r.name}{r.year}年度培训{r.hours:g}学时，少于{need:g}学时。",
                  {"year": r.year, "hours": r.hours, "required": need}, officer_id=r.officer_id)
            for r in rows if r.hours < need]


def no_legal_reviewer(bodies: Iterable[tuple[int, str, int]], spec: RuleSpec) -> list[Candidate]:
    """seed D §四: every body has at least one legal reviewer. ``bodies``: (id, name, reviewers)."""
    return [alert(spec, f"body:{body_id}", body_id, f"{name}没有在岗的法制审核人员。", {"reviewers": n})
            for body_id, name, n in bodies if n < 1]


# --- Zero-case items (零办件事项) -------------------------------------------------------------------
@dataclass(frozen=True)
class ItemRow:
    item_id: int
    code: str
    name: str
    body_id: int
    acts: int           # cases, inspections and flexible acts in the period
    excluded: bool      # marked "no occurrence expected" (预计不发生) with reason and approver


def zero_case_items(rows: Iterable[ItemRow], since: dt.date, today: dt.date, spec: RuleSpec) -> list[Candidate]:
    """APL art.83 (不作为): an item of the power list with no act in the period, unless excluded."""
    return [alert(spec, f"item:{r.item_id}", r.body_id, f"执法事项“{r.name}”（{r.code}）自{since.isoformat()}至{today.isoformat()}没有案件、检查或柔性执法记录。",
                  {"since": since.isoformat(), "until": today.isoformat(), "item_code": r.code}, item_id=r.item_id)
            for r in rows if r.acts == 0 and not r.excluded]


# --- Transfer signals (有案不移、以罚代刑) -------------------------------------------------------------
def transfer_signals(signals: Iterable[Mapping[str, Any]], specs: Mapping[str, RuleSpec]) -> list[Candidate]:
    """``transfers.selectors.signals`` as alerts: one per (signal code, case)."""
    out = []
    for s in signals:
        spec = specs.get(s["code"])
        if spec is None:
            continue
        out.append(alert(spec, f"case:{s['case_id']}", s["body_id"], f"案件{s.get('case_number') or s['case_id']}：{s['message']}",
                         {"signal": dict(s)}, case_id=s["case_id"], transfer_id=s.get("transfer_id")))
    return out


# --- Selective enforcement (选择性执法) --------------------------------------------------------------
@dataclass(frozen=True)
class PairRow:
    officer_id: int
    officer_name: str
    body_id: int
    party_code: str
    party_name: str
    cases: int
    case_ids: tuple[int, ...] = ()


def selective_enforcement(rows: Iterable[PairRow], since: dt.date, spec: RuleSpec) -> list[Candidate]:
    """The same officer on ``min_cases`` or more cases against the same party in the period."""
    need = int(spec.params.get("min_cases", 3))
    return [alert(spec, f"officer:{r.officer_id}:party:{r.party_code}", r.body_id,
                  f"执法人员{r.officer_name}自{since.isoformat()}以来承办针对同一当事人（{r.party_name}）的案件{r.cases}件（阈值{need}件）。",
                  {"cases": r.cases, "case_ids": list(r.case_ids), "party": r.party_name, "since": since.isoformat(), "threshold": need},
                  officer_id=r.officer_id)
            for r in rows if r.cases >= need]


# --- Complaints never acted on (同类投诉举报从未受理办理) -------------------------------------------
COMPLAINT_KIND_LABELS = {"complaint": "投诉", "report": "举报"}


@dataclass(frozen=True)
class ComplaintRow:
    """A body's complaints of one kind received in the period, and how many were acted on
    (accepted, handled or answered)."""

    body_id: int
    body_name: str
    kind: str
    received: int
    acted: int


def complaints_never_acted(rows: Iterable[ComplaintRow], since: dt.date, spec: RuleSpec) -> list[Candidate]:
    """SAMR20 arts.14–15: ``min_complaints`` or more of one kind, none accepted, handled or answered."""
    need = int(spec.params.get("min_complaints", 3))
    out = []
    for r in rows:
        if r.received >= need and r.acted == 0:
            label = COMPLAINT_KIND_LABELS.get(r.kind, r.kind)
            out.append(alert(spec, f"body:{r.body_id}:kind:{r.kind}", r.body_id,
                             f"{r.body_name}自{since.isoformat()}以来收到{label}{r.received}件，没有一件被受理、办理或答复。",
                             {"kind": r.kind, "kind_label": label, "received": r.received, "acted": r.acted, "since": since.isoformat(),
                              "threshold": need}))
    return out


# --- Entities inspected far more than the draws would give (抽查频次异常) -------------------------
@dataclass(frozen=True)
class InspectedRow:
    """An entity's inspections by one body in the period, and the most a random draw would give it:
    the sum over the body's draws of sample ÷ candidates (its chance if it was in every pool)."""

    body_id: int
    entity_id: int
    entity_name: str
    inspections: int
    expected: float


def over_inspected(rows: Iterable[InspectedRow], since: dt.date, spec: RuleSpec) -> list[Candidate]:
    """§D: ``min_inspections`` or more, and more than ``k`` times the expected number."""
    need, k = int(spec.params.get("min_inspections", 3)), float(spec.params.get("k", 3))
    return [alert(spec, f"body:{r.body_id}:entity:{r.entity_id}", r.body_id,
                  f"检查对象“{r.entity_name}”自{since.isoformat()}以来被检查{r.inspections}次，按随机抽取的比例期望至多约{r.expected:.2f}次。",
                  {"inspections": r.inspections, "expected": round(r.expected, 3), "k": k, "threshold": need, "since": since.isoformat()})
            for r in rows if r.inspections >= need and r.inspections > k * r.expected]
