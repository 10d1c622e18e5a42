"""The case workflow as one table (案件办理流程): states, actions, who may act, guards, effects.

Read it top to bottom as the procedure of the APL: a clue is registered (案源登记), filed with the
head's approval (立案) or not filed, investigated, reviewed, noticed (事先告知), heard (陈述申辩 /
听证), decided, served, paid or enforced, closed and archived. The simple procedure (简易程序)
decides on the spot. Side actions (pauses of the 90-day clock, seizures, recusal, escalation …)
keep the state.

Each row: action code, Chinese label, states it may start from, state it leads to (``None`` =
unchanged), the role needed on the case, the procedures it belongs to, the guards
(``rules``/``services`` check them; listed here for the reader — besides these, every act by the
``officer`` or ``head`` role checks the actor's own certificate, ``CERTIFICATE_INVALID``, and every
``officer`` act the actor's assignment to the case, ``NOT_ASSIGNED``: ``permissions.check_actor``), the effect in words and the
name of its input schema (``cases/inputs.py``: the API's body and the page's form).
``services`` implements the effect; ``allowed_actions`` is computed from this table only.
Adding an action: one row here (with its input), one service function, and a template only if
the generic action form does not suffice.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

# --- States -------------------------------------------------------------------------------------
STATES: dict[str, str] = {
    "source": "案源登记",
    "not_filed": "不予立案",
    "investigating": "调查取证",
    "investigated": "调查终结",
    "reviewed": "案件审核",
    "notified": "告知陈述申辩",
    "decided": "已作出决定",
    "served": "已送达待执行",
    "executed": "执行完毕",
    "enforcing": "申请强制执行",
    "closed": "已结案",
    "archived": "已归档",
}
STATE_CHOICES = list(STATES.items())
PROCEDURES = {"normal": "普通程序", "simple": "简易程序"}
PROCEDURE_CHOICES = list(PROCEDURES.items())
TERMINAL = frozenset({"not_filed", "archived"})
# States in which the 90-day decision clock runs (filed, not yet decided).
OPEN_STATES = frozenset({"investigating", "investigated", "reviewed", "notified"})
# States in which the case may still be investigated or coerced.
INVESTIGATION_STATES = ("investigating", "investigated", "reviewed", "notified")
AFTER_DECISION = ("decided", "served", "executed", "enforcing", "closed")

# Roles on a case (computed by services.roles_on):
#   staff    — anyone of the case's body (auxiliary staff may register a clue)
#   officer  — an officer (not auxiliary) of the case's body
#   head     — the head of the case's body (负责人)
#   reviewer — a legal reviewer of the body or of its parent department (提级审核)
N, S = ("normal",), ("simple",)
BOTH = ("normal", "simple")


@dataclass(frozen=True)
class Action:
    code: str
    label: str
    sources: tuple[str, ...]
    target: str | None
    role: str
    procedures: tuple[str, ...]
    guards: tuple[str, ...] = ()
    effect: str = ""
    # The name of the action's input schema in ``cases/inputs.py`` (``inputs.schema_of``): the
    # API validates its body with it and the page builds its form from it. A name, not the class,
    # because ``models`` reads this module and ``inputs`` reads ``models``.
    input: str = "NoInput"


ACTIONS: tuple[Action, ...] = (
    # -- on the scene (both procedures; R15) ----------------------------------------------------
    Action("show_credentials", "出示执法证件（亮证）", ("source",) + INVESTIGATION_STATES, None, "officer", BOTH,
           ("WRONG_STATE", "TWO_OFFICERS_REQUIRED", "CERTIFICATE_INVALID", "AUXILIARY_CANNOT_ACT"),
           "记录在场执法人员向当事人出示执法证件（行政处罚法第五十五条、第五十二条）", input="ShowCredentialsIn"),
    Action("inform_rights", "告知当事人权利和救济途径", ("source",) + INVESTIGATION_STATES, None, "officer", BOTH,
           ("WRONG_STATE", "TWO_OFFICERS_REQUIRED", "CERTIFICATE_INVALID", "AUXILIARY_CANNOT_ACT"),
           "记录告知当事人陈述、申辩、听证等权利和复议、诉讼途径（行政处罚法第四十四条、第五十二条）", input="InformRightsIn"),
    # -- normal procedure ---------------------------------------------------------------------
    Action("file", "立案", ("source",), "investigating", "head", N,
           ("WRONG_STATE", "OUTSIDE_COMPETENCE", "LIMITATION_EXPIRED", "TWO_OFFICERS_REQUIRED", "CERTIFICATE_INVALID", "AUXILIARY_CANNOT_ACT"),
           "负责人批准立案，指定两名以上持证承办人员；办案期限（90日）起算；生成立案审批表内容", input="FileIn"),
    Action("extend_filing", "延长立案期限", ("source",), None, "head", N, ("WRONG_STATE", "EXTENSION_NOT_ALLOWED", "REASON_REQUIRED"),
           "负责人批准延长一次（十五个工作日，按行业规定），须在立案期限届满前（行政处罚法第五十四条）", input="ReasonIn"),
    Action("decline", "不予立案", ("source",), "not_filed", "head", N, ("WRONG_STATE", "REASON_REQUIRED"),
           "记录不予立案理由", input="ReasonIn"),
    Action("record_evidence", "登记证据（笔录、照片、音像）", INVESTIGATION_STATES, None, "officer", N,
           ("WRONG_STATE", "TWO_OFFICERS_REQUIRED"), "登记证据并记录其摘要（SHA-256）", input="EvidenceIn"),
    Action("preserve", "先行登记保存", ("investigating",), None, "head", N, ("WRONG_STATE", "TWO_OFFICERS_REQUIRED"),
           "负责人批准；七个工作日内作出处理决定（行政处罚法第五十六条）", input="PreserveIn"),
    Action("decide_preservation", "先行登记保存处理决定", ("investigating", "investigated"), None, "officer", N, ("WRONG_STATE",),
           "对先行登记保存的证据作出处理决定", input="MeasureIn"),
    Action("seize", "查封、扣押", INVESTIGATION_STATES, None, "officer", N,
           ("WRONG_STATE", "TWO_OFFICERS_REQUIRED", "AV_RECORD_REQUIRED"),
           "负责人批准（紧急情况24小时内补报）；当场交付决定书和清单；期限30日", input="SeizeIn"),
    Action("approve_seizure", "补办查封、扣押批准手续", INVESTIGATION_STATES + AFTER_DECISION, None, "head", N,
           ("WRONG_STATE", "SEIZURE_APPROVAL_LATE", "REASON_REQUIRED"),
           "紧急情况当场实施的，24小时内报告并补办批准；不批准或者逾期的立即解除（行政强制法第十九条）", input="ApproveSeizureIn"),
    Action("extend_seizure", "延长查封、扣押期限", INVESTIGATION_STATES, None, "head", N,
           ("WRONG_STATE", "SEIZURE_PERIOD_EXCEEDED", "REASON_REQUIRED"), "经批准延长一次，不超过30日，书面告知当事人", input="SeizureReasonIn"),
    Action("record_testing", "登记检测、检验、鉴定期间", INVESTIGATION_STATES, None, "officer", N, ("WRONG_STATE", "SEIZURE_PERIOD_EXCEEDED"),
           "检测鉴定期间不计入查封扣押期限，书面告知当事人", input="TestingIn"),
    Action("release_seizure", "解除查封、扣押", INVESTIGATION_STATES + AFTER_DECISION, None, "officer", N, ("WRONG_STATE",),
           "解除并退还财物", input="SeizureIdIn"),
    Action("pause", "办案期限中止（检测、鉴定、听证、公告）", INVESTIGATION_STATES, None, "officer", N, ("WRONG_STATE", "PAUSE_OVERLAP"),
           "登记不计入办案期限的期间，期间不得重叠", input="PauseIn"),
    Action("resume", "办案期限恢复计算", INVESTIGATION_STATES, None, "officer", N, ("WRONG_STATE",), "结束正在进行的中止期间", input="ResumeIn"),
    Action("extend", "延长办案期限", INVESTIGATION_STATES, None, "head", N,
           ("WRONG_STATE", "EXTENSION_NOT_ALLOWED", "COLLECTIVE_DISCUSSION_REQUIRED", "REASON_REQUIRED"),
           "负责人批准并说明理由；再次延长须经集体讨论", input="ExtendIn"),
    Action("assign", "指派承办人员", ("source",) + INVESTIGATION_STATES, None, "head", BOTH,
           ("WRONG_STATE", "TWO_OFFICERS_REQUIRED", "CERTIFICATE_INVALID", "AUXILIARY_CANNOT_ACT"),
           "指派（更换）两名以上持证承办人员", input="AssignIn"),
    Action("recuse", "回避", INVESTIGATION_STATES, None, "head", N, ("WRONG_STATE", "RECUSAL_LEAVES_TOO_FEW", "REASON_REQUIRED"),
           "负责人决定承办人员回避，调查不停止（行政处罚法第四十三条）", input="RecuseIn"),
    Action("escalate", "提级办理", ("source",) + INVESTIGATION_STATES, None, "head", N, ("WRONG_STATE", "ESCALATION_NOT_HIGHER", "OUTSIDE_COMPETENCE"),
           "移交上级执法主体办理", input="EscalateIn"),
    Action("update_party", "完善当事人信息", ("source",) + INVESTIGATION_STATES, None, "officer", BOTH, ("WRONG_STATE", "INVALID_INPUT"),
           "补充、更正当事人的证件、法定代表人（负责人）和送达地址，决定书据此载明当事人（行政处罚法第五十九条）", input="PartyIn"),
    Action("end_investigation", "调查终结", ("investigating",), "investigated", "officer", N,
           ("WRONG_STATE", "TWO_OFFICERS_REQUIRED"), "提交调查终结报告（拟处理意见）", input="EndInvestigationIn"),
    Action("review_case", "案件审核", ("investigated",), "reviewed", "head", N, ("WRONG_STATE",), "审核调查终结报告", input="ReviewCaseIn"),
    Action("collective_discussion", "集体讨论", ("reviewed", "notified"), None, "head", N, ("WRONG_STATE",),
           "负责人集体讨论（行政处罚法第五十七条）", input="MinutesIn"),
    Action("request_review", "提交法制审核", ("reviewed", "notified"), None, "officer", N,
           ("WRONG_STATE", "REVIEWER_IS_INVESTIGATOR", "REVIEWER_NOT_QUALIFIED"),
           "指定本主体（乡镇案件可由县级部门）的法制审核人员", input="RequestReviewIn"),
    Action("complete_review", "法制审核结论", ("reviewed", "notified"), None, "reviewer", N, ("WRONG_STATE",),
           "逐项审核要点，通过或者不通过并出具意见", input="CompleteReviewIn"),
    Action("notify", "送达行政处罚告知书", ("reviewed", "notified"), "notified", "officer", N,
           ("WRONG_STATE", "TWO_OFFICERS_REQUIRED", "RENOTICE_NEEDS_NEW_FACTS", "NOT_PUNISHABLE", "DUPLICATE_FINE",
            "ABOVE_STATUTORY_MAXIMUM"),
           "告知拟处罚内容、事实、理由、依据和陈述申辩、听证权利；陈述申辩、听证申请期限起算；重新告知重新起算", input="NotifyIn"),
    Action("record_defence", "记录陈述申辩", ("notified",), None, "officer", N, ("WRONG_STATE",), "制作陈述申辩笔录并复核", input="DefenceIn"),
    Action("waive_defence", "当事人放弃陈述申辩", ("notified",), None, "officer", N, ("WRONG_STATE",), "记录放弃"),
    Action("request_hearing", "当事人申请听证", ("notified",), None, "officer", N, ("WRONG_STATE", "HEARING_PERIOD_OPEN"),
           "五个工作日内提出（行政处罚法第六十四条）", input="HearingRequestIn"),
    Action("waive_hearing", "当事人放弃听证", ("notified",), None, "officer", N, ("WRONG_STATE",), "记录放弃听证"),
    Action("schedule_hearing", "通知听证", ("notified",), None, "head", N, ("WRONG_STATE", "HEARING_CHAIR_IS_INVESTIGATOR", "HEARING_NOTICE_TOO_SHORT"),
           "指定非本案调查人员主持；七个工作日前通知", input="ScheduleHearingIn"),
    Action("hold_hearing", "举行听证", ("notified",), None, "officer", N, ("WRONG_STATE", "AV_RECORD_REQUIRED"),
           "制作听证笔录；当事人无正当理由不到场视为放弃", input="HoldHearingIn"),
    Action("record_education", "记录对当事人的教育", INVESTIGATION_STATES, None, "officer", N, ("WRONG_STATE", "REASON_REQUIRED"),
           "依法不予行政处罚的，对当事人进行教育并记录（行政处罚法第三十三条第三款）", input="EducationIn"),
    Action("decide", "作出处理决定", ("reviewed", "notified"), "decided", "head", N,
           ("WRONG_STATE", "TWO_OFFICERS_REQUIRED", "NOTICE_REQUIRED", "DEFENCE_PERIOD_OPEN", "HEARING_PERIOD_OPEN",
            "HEARING_REQUIRED", "LEGAL_REVIEW_REQUIRED", "LEGAL_REVIEW_FAILED", "COLLECTIVE_DISCUSSION_REQUIRED",
            "PENALTY_ABOVE_NOTICE", "OUTSIDE_BENCHMARK_WITHOUT_REASON", "NOT_PUNISHABLE", "DUPLICATE_FINE", "LIMITATION_EXPIRED",
            "CREDENTIALS_NOT_SHOWN", "RIGHTS_NOT_TOLD", "EDUCATION_REQUIRED", "DECISION_DEADLINE_PASSED", "ABOVE_STATUTORY_MAXIMUM"),
           "处罚、不予处罚或者移送司法机关；生成决定书内容", input="DecideIn"),
    # -- simple procedure ---------------------------------------------------------------------
    Action("decide_on_spot", "当场作出处罚决定", ("source",), "served", "officer", S,
           ("WRONG_STATE", "SIMPLE_PROCEDURE_LIMIT", "TWO_OFFICERS_REQUIRED", "OUTSIDE_COMPETENCE", "LIMITATION_EXPIRED",
            "NOT_PUNISHABLE", "AV_RECORD_REQUIRED", "CREDENTIALS_NOT_SHOWN", "RIGHTS_NOT_TOLD", "DUPLICATE_FINE",
            "ABOVE_STATUTORY_MAXIMUM"),
           "出示证件、告知事由和权利、听取陈述申辩后当场作出并交付决定书（行政处罚法第五十一条、第五十二条）", input="OnSpotIn"),
    # -- after the decision (both procedures) ------------------------------------------------
    Action("serve", "送达处罚决定书", ("decided",), "served", "officer", N, ("WRONG_STATE", "SERVICE_CONSENT_REQUIRED"),
           "七个工作日内送达；缴款期限15日起算；生成送达回证内容", input="ServeIn"),
    Action("defer_payment", "批准延期或者分期缴纳", ("served",), None, "head", BOTH, ("WRONG_STATE", "REASON_REQUIRED"),
           "当事人确有经济困难，经申请和批准（行政处罚法第六十六条）", input="DeferIn"),
    Action("request_deferral", "登记当事人延期（分期）缴纳申请", ("served",), None, "officer", BOTH, ("WRONG_STATE", "REASON_REQUIRED"),
           "当事人确有经济困难提出申请，报负责人批准（行政处罚法第六十六条）", input="DeferralRequestIn"),
    Action("pay", "登记缴款", ("served", "enforcing"), None, "officer", BOTH, ("WRONG_STATE",),
           "逾期的按日加处3%罚款，不超过罚款数额（复议、诉讼期间不计算）；缴清后执行完毕", input="PayIn"),
    Action("collect_on_spot", "当场收缴罚款", ("served",), None, "officer", BOTH,
           ("WRONG_STATE", "ON_SPOT_COLLECTION_NOT_ALLOWED", "RECEIPT_REQUIRED"),
           "一百元以下或者事后难以执行的（简易程序）、边远地区当事人提出的，当场收缴并出具专用票据（行政处罚法第六十八条至第七十条）", input="CollectIn"),
    Action("hand_over_collection", "当场收缴罚款交至行政机关", ("executed", "closed"), None, "officer", BOTH, ("WRONG_STATE",),
           "自收缴之日起二日内交至行政机关（行政处罚法第七十一条）", input="HandOverIn"),
    Action("record_remedy", "登记当事人申请复议或者提起诉讼", AFTER_DECISION, None, "officer", BOTH, ("WRONG_STATE",),
           "复议、诉讼期间加处罚款不予计算（行政处罚法第七十三条），不得申请强制执行", input="RemedyIn"),
    Action("end_remedy", "登记复议、诉讼结果", AFTER_DECISION, None, "officer", BOTH, ("WRONG_STATE",),
           "复议、诉讼终结，加处罚款恢复计算", input="EndRemedyIn"),
    Action("remind", "催告", ("served",), None, "officer", BOTH, ("WRONG_STATE",), "书面催告当事人履行（行政强制法第三十五条）"),
    Action("apply_court", "申请人民法院强制执行", ("served",), "enforcing", "head", BOTH,
           ("WRONG_STATE", "REMINDER_REQUIRED", "COURT_APPLICATION_TOO_EARLY", "COURT_APPLICATION_WINDOW", "REMEDY_PENDING"),
           "催告十个工作日后仍未履行；当事人复议、诉讼期限届满后三个月内（行政强制法第五十三条）"),
    Action("publish", "公示处罚决定", AFTER_DECISION, None, "officer", BOTH, ("WRONG_STATE", "NOT_PUBLISHABLE"),
           "作出决定之日起七个工作日内公示（国办发〔2018〕118号）；市场监管二十个工作日（市场监管总局令第45号）", input="PublishIn"),
    Action("withdraw_publication", "撤回公示信息", AFTER_DECISION, None, "officer", BOTH, ("WRONG_STATE", "REASON_REQUIRED"),
           "已公示的决定被变更、撤销或者确认无效的，三个工作日内撤回并说明理由（行政处罚法第四十八条）", input="ReasonIn"),
    Action("correct", "自我纠正（撤销、变更或者确认无效）", AFTER_DECISION, None, "head", BOTH, ("WRONG_STATE", "REASON_REQUIRED"),
           "撤销或者变更决定并说明理由；已公示的三个工作日内撤下（行政处罚法第四十八条）", input="CorrectIn"),
    Action("close", "结案", ("decided", "executed", "enforcing"), "closed", "head", BOTH, ("WRONG_STATE",),
           "不予处罚、移送或者执行完毕后结案", input="CloseIn"),
    Action("archive", "归档", ("closed",), "archived", "officer", BOTH, ("WRONG_STATE",), "案卷装订归档"),
)

BY_CODE: dict[str, Action] = {a.code: a for a in ACTIONS}


def action(code: str) -> Action | None:
    return BY_CODE.get(code)


@dataclass(frozen=True)
class Situation:
    """What a case has in hand beyond its state (built by ``services.situation``): decides whether
    an action has an object at all (a seizure to release, a pause to end, a hearing requested …)."""

    open_seizures: int = 0
    unapproved_seizures: int = 0  # emergency measures awaiting the head's approval (ACL art.19)
    running_pause: bool = False
    preservation_pending: bool = False
    defence_done: bool = False
    hearing_right: bool = False
    hearing_status: str = "none"
    review_status: str = ""
    credentials_shown: bool = False
    rights_told: bool = False
    educated: bool = False
    has_fine: bool = False
    collected_on_spot: bool = False
    handed_over: bool = False
    running_remedy: bool = False
    deferral_requested: bool = False
    publishable: bool = False
    published: bool = False
    withdrawal_pending: bool = False
    filing_extended: bool = False


# An action absent here is applicable whenever its state, procedure and role fit.
APPLICABLE: dict[str, Callable[[Situation], bool]] = {
    "show_credentials": lambda s: not s.credentials_shown,
    "extend_filing": lambda s: not s.filing_extended,
    "inform_rights": lambda s: not s.rights_told,
    "approve_seizure": lambda s: s.unapproved_seizures > 0,
    "extend_seizure": lambda s: s.open_seizures > 0,
    "record_testing": lambda s: s.open_seizures > 0,
    "release_seizure": lambda s: s.open_seizures > 0,
    "resume": lambda s: s.running_pause,
    "pause": lambda s: not s.running_pause,
    "decide_preservation": lambda s: s.preservation_pending,
    "waive_defence": lambda s: not s.defence_done,
    "request_hearing": lambda s: s.hearing_right and s.hearing_status == "none",
    "waive_hearing": lambda s: s.hearing_right and s.hearing_status == "none",
    "schedule_hearing": lambda s: s.hearing_status in ("requested", "scheduled"),
    "hold_hearing": lambda s: s.hearing_status == "scheduled",
    "complete_review": lambda s: s.review_status == "pending",
    "request_review": lambda s: s.review_status != "pending",
    "record_education": lambda s: not s.educated,
    "request_deferral": lambda s: s.has_fine and not s.deferral_requested,
    "collect_on_spot": lambda s: s.has_fine and not s.collected_on_spot,
    "hand_over_collection": lambda s: s.collected_on_spot and not s.handed_over,
    "record_remedy": lambda s: not s.running_remedy,
    "end_remedy": lambda s: s.running_remedy,
    "publish": lambda s: s.publishable and not s.published,
    "withdraw_publication": lambda s: s.published and s.withdrawal_pending,
}


def applicable(code: str, situation: Situation) -> bool:
    test = APPLICABLE.get(code)
    return test is None or test(situation)


def allowed_actions(state: str, procedure: str, roles: set[str] | frozenset[str], situation: Situation | None = None) -> list[str]:
    """The actions whose state, procedure and role fit and — given the case's ``situation`` — that
    have something to act on (the guards are checked when performed)."""
    return [a.code for a in ACTIONS if state in a.sources and procedure in a.procedures and a.role in roles
            and (situation is None or applicable(a.code, situation))]


def state_label(state: str) -> str:
    return STATES.get(state, state)
