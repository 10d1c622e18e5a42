"""Pure rules about who may enforce (R04–R08). No Django, no database, no clock.

Inputs are small frozen dataclasses built from the models by ``services``/``access``; outputs are
values or ``Violation``s. Everything later (cases, inspections) calls ``may_act`` and
``officers_may_act`` before an enforcement act.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Sequence

from zhifa.core import citations
from zhifa.core.labels import Labelled
from zhifa.core.violations import (
    AUXILIARY_CANNOT_ACT,
    CERTIFICATE_INVALID,
    TWO_OFFICERS_REQUIRED,
    Violation,
)

BASIS_CERTIFICATE = citations.BASIS_CERTIFICATE
BASIS_AUXILIARY = citations.BASIS_AUXILIARY
BASIS_TWO_OFFICERS = citations.BASIS_TWO_OFFICERS

# A certificate number or a staff number (工号) already taken: numbers are unique (R04, R05).
DUPLICATE_NUMBER = "DUPLICATE_NUMBER"


class CertificateState(Labelled):
    VALID = "valid", "有效"
    EXPIRED = "expired", "已过期"
    SUSPENDED = "suspended", "暂扣"
    REVOKED = "revoked", "已注销"
    NONE = "none", "无执法证"


@dataclass(frozen=True)
class CertificateFacts:
    number: str
    status: str  # "valid" | "suspended" | "revoked" as recorded by the issuing authority
    issued_on: dt.date
    expires_on: dt.date


@dataclass(frozen=True)
class OfficerFacts:
    """What the rules need to know of one person."""

    id: int
    name: str
    body_id: int
    is_auxiliary: bool = False
    is_active: bool = True
    certificate: CertificateFacts | None = None


def certificate_state(cert: CertificateFacts | None, today: dt.date) -> CertificateState:
    """The effective state of a certificate on ``today`` (R04).

    An authority's suspension or revocation wins; otherwise a certificate is valid from its issue
    date through its expiry date inclusive.
    """
    if cert is None:
        return CertificateState.NONE
    if cert.status == "revoked":
        return CertificateState.REVOKED
    if cert.status == "suspended":
        return CertificateState.SUSPENDED
    if today < cert.issued_on or today > cert.expires_on:
        return CertificateState.EXPIRED
    return CertificateState.VALID


def may_act(officer: OfficerFacts, today: dt.date) -> list[Violation]:
    """R04/R05: may this person perform an enforcement act on ``today``? Empty list = yes.

    Auxiliary staff never act (they may assist), and nobody acts without a valid certificate.
    """
    if officer.is_auxiliary:
        return [
            Violation(
                AUXILIARY_CANNOT_ACT,
                f"{officer.name}为执法辅助人员，只能配合执法人员开展辅助性工作，不能独立实施行政执法行为。",
                BASIS_AUXILIARY,
            )
        ]
    state = certificate_state(officer.certificate, today)
    if not officer.is_active or state is not CertificateState.VALID:
        reason = "已离岗" if not officer.is_active else f"行政执法证{state.label}"
        return [
            Violation(
                CERTIFICATE_INVALID,
                f"{officer.name}{reason}，不得从事行政执法活动。",
                BASIS_CERTIFICATE,
            )
        ]
    return []


def officers_may_act(officers: Sequence[OfficerFacts], today: dt.date, minimum: int = 2) -> list[Violation]:
    """R15: an enforcement act needs at least ``minimum`` officers holding valid certificates
    (APL art.42); auxiliary staff may be present but do not count. Every problem is reported."""
    violations: list[Violation] = []
    qualified = 0
    seen: set[int] = set()
    for officer in officers:
        if officer.id in seen:
            continue
        seen.add(officer.id)
        found = may_act(officer, today)
        violations.extend(found)
        qualified += not found
    if qualified < minimum:
        violations.append(
            Violation(
                TWO_OFFICERS_REQUIRED,
                f"执法人员不得少于{minimum}人且均应持有有效行政执法证，当前符合条件的仅{qualified}人（辅助人员不计入）。",
                BASIS_TWO_OFFICERS,
            )
        )
    return violations


# --- Registry health flags (R06–R08, R04 expiry) -------------------------------------------

class FlagKind(Labelled):
    NO_LEGAL_REVIEWER = "NO_LEGAL_REVIEWER", "未配备法制审核人员"
    REVIEWER_UNQUALIFIED = "REVIEWER_UNQUALIFIED", "法制审核人员均无法律职业资格"
    TRAINING_SHORTFALL = "TRAINING_SHORTFALL", "年度培训学时不足"
    HEAD_INEXPERIENCED = "HEAD_INEXPERIENCED", "乡镇执法机构负责人执法经历不足"
    SECONDED = "SECONDED", "借调或从事非执法工作"
    CERTIFICATE_EXPIRING = "CERTIFICATE_EXPIRING", "执法证即将到期"
    CERTIFICATE_EXPIRED = "CERTIFICATE_EXPIRED", "执法证已过期未换发"
    NO_CERTIFICATE = "NO_CERTIFICATE", "执法人员无有效执法证"


FLAG_LABELS = {k: k.label for k in FlagKind}

FLAG_BASIS = {
    FlagKind.NO_LEGAL_REVIEWER: "市人大常委会决定第四部分（R06）",
    FlagKind.REVIEWER_UNQUALIFIED: "行政处罚法第五十八条第二款（R06）",
    FlagKind.TRAINING_SHORTFALL: "市人大常委会决定第三部分（R07）",
    FlagKind.HEAD_INEXPERIENCED: "市人大常委会决定第三部分（R07）",
    FlagKind.SECONDED: "市人大常委会决定第二部分“专职专用”（R08）",
    FlagKind.CERTIFICATE_EXPIRING: "市指导意见第五部分（R04）",
    FlagKind.CERTIFICATE_EXPIRED: "市指导意见第五部分（R04）",
    FlagKind.NO_CERTIFICATE: "行政处罚法第四十二条（R04）",
}


@dataclass(frozen=True)
class Flag:
    kind: FlagKind
    body_id: int
    detail: str
    officer_id: int | None = None

    @property
    def label(self) -> str:
        return self.kind.label

    @property
    def basis(self) -> str:
        return FLAG_BASIS[self.kind]


@dataclass(frozen=True)
class ReviewerFacts:
    id: int
    has_legal_qualification: bool


def body_reviewer_flags(body_id: int, reviewers: Iterable[ReviewerFacts]) -> list[Flag]:
    """R06: a body needs at least one legal reviewer; APL art.58 asks that reviewers new to the
    work hold the national legal-profession qualification, so a body where none does is flagged."""
    reviewers = list(reviewers)
    if not reviewers:
        return [Flag(FlagKind.NO_LEGAL_REVIEWER, body_id, "本主体无在岗法制审核人员")]
    if not any(r.has_legal_qualification for r in reviewers):
        return [Flag(FlagKind.REVIEWER_UNQUALIFIED, body_id, f"{len(reviewers)}名法制审核人员均未取得法律职业资格")]
    return []


def training_shortfall(hours: Decimal, required: int) -> Decimal:
    """R07: hours missing to reach the yearly minimum (0 when met)."""
    return max(Decimal(required) - Decimal(hours), Decimal(0))


def township_head_experienced(is_township_bureau: bool, is_head: bool, experience_years: int, minimum_years: int) -> bool:
    """R07: the head of a township enforcement bureau must have enforcement experience."""
    return not (is_township_bureau and is_head) or experience_years >= minimum_years


def assignment_active(starts_on: dt.date, ends_on: dt.date | None, today: dt.date) -> bool:
    """R08: a secondment or non-enforcement assignment running on ``today``."""
    return starts_on <= today and (ends_on is None or ends_on >= today)


def certificate_expiry_flag(
    cert: CertificateFacts | None, today: dt.date, warning_days: int
) -> FlagKind | None:
    """R04: expired, expiring within ``warning_days`` or absent (suspended/revoked are deliberate
    acts of the authority and are shown as states, not flags)."""
    state = certificate_state(cert, today)
    if state is CertificateState.NONE:
        return FlagKind.NO_CERTIFICATE
    if state is CertificateState.EXPIRED:
        return FlagKind.CERTIFICATE_EXPIRED
    if state is CertificateState.VALID and (cert.expires_on - today).days <= warning_days:
        return FlagKind.CERTIFICATE_EXPIRING
    return None
