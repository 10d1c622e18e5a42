"""The configurable numbers of the procedure (``CasePolicy``, legal-rules *configurable*), the
penalty kinds that decide the hearing right and the simple procedure, and the money format."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from zhifa.catalog.rules import PenaltyKind

from .codes import GUOBAN_2018_118, SAMR45_ART9

# Penalty kinds that open the hearing right whatever the amount (APL art.63 ¶1 items 2–5).
HEARING_KINDS = frozenset({
    PenaltyKind.DOWNGRADE, PenaltyKind.PERMIT_REVOCATION, PenaltyKind.SUSPENSION, PenaltyKind.CLOSURE,
    PenaltyKind.RESTRICT_OPERATION, PenaltyKind.OCCUPATIONAL_BAR,
})
SIMPLE_KINDS = frozenset({PenaltyKind.WARNING, PenaltyKind.FINE})


@dataclass(frozen=True)
class CasePolicy:
    """The configurable numbers of the procedure (legal-rules *configurable*), with defaults.

    Built by ``services.policy()`` from ``settings.ZHIFA["CASE_POLICY"]``.
    """

    # APL art.63: "较大数额" — market regulation (SAMR hearing measures): 10,000 / 100,000 yuan.
    hearing_threshold_person: Decimal = Decimal("10000")
    hearing_threshold_organisation: Decimal = Decimal("100000")
    # Statement and defence period (陈述申辩期限) after notice. The APL sets none; sector rules do
    # (SAMR procedure rules: 5 working days). Working days (APL art.85). *configurable*
    defence_working_days: int = 5
    defence_basis: str = "行政处罚法第四十四条；《市场监督管理行政处罚程序规定》第五十七条"
    # APL art.64 (1): request a hearing within 5 days of notice — working days (APL art.85).
    hearing_request_working_days: int = 5
    # APL art.64 (2): notify the hearing at least 7 days before — working days (APL art.85).
    hearing_notice_working_days: int = 7
    # APL art.54 / SAMR: file within 15 working days of the clue (+15 with approval). *configurable*
    # — and per sector (``filing_by_sector``: (sector, days, extension days, citation)).
    filing_working_days: int = 15
    filing_extension_working_days: int = 15
    filing_basis: str = "行政处罚法第五十四条；《市场监督管理行政处罚程序规定》第十八条"
    filing_by_sector: tuple = ()
    # The legal review's own period (法制审核期限), from the request: 5 working days by default (many
    # provinces' measures: 5, complex cases 10). *configurable* per body: ``review_by_body``
    # ((body code, days), …).
    review_working_days: int = 5
    review_by_body: tuple = ()
    review_basis: str = "行政处罚法第五十八条；《重大执法决定法制审核办法》"
    # ACL art.53: the court application window opens when the party's remedy periods have run out
    # — reconsideration 60 days (ARL art.20), litigation 6 months (ALL art.46), 15 days to sue
    # after a reconsideration decision (ALL art.45) — and lasts 3 months.
    reconsideration_days: int = 60
    litigation_months: int = 6
    litigation_after_remedy_days: int = 15
    court_application_months: int = 3
    # APL art.56: decide on preserved evidence within 7 days — working days (APL art.85).
    preservation_working_days: int = 7
    # APL art.60: decide within 90 days of filing (calendar days). *configurable* by sector.
    decision_days: int = 90
    # Length of one approved extension of the decision period (SAMR: 30 days). *configurable*
    extension_days: int = 30
    # APL art.61: serve within 7 days (working days, APL art.85).
    service_working_days: int = 7
    # APL art.67: pay within 15 days of service (calendar days).
    payment_days: int = 15
    # ACL art.25: seizure ≤ 30 days, one extension ≤ 30 days (calendar days, > 10 so ACL art.69 n/a).
    seizure_days: int = 30
    seizure_extension_days: int = 30
    # ACL art.54: court application at least 10 days after the reminder (working days, ACL art.69).
    reminder_working_days: int = 10
    # ACL art.19: an emergency measure is reported to the head and approved within 24 hours.
    emergency_report_hours: int = 24
    # APL art.71: money collected on the spot is handed over within 2 days (working days, art.85).
    handover_working_days: int = 2
    # Publication of penalty decisions (行政处罚信息公示): 3S — within 7 working days of the decision;
    # sector rules override it (SAMR45 art.9: market regulation 20 working days). *configurable*
    publication_working_days: int = 7
    publication_basis: str = ""  # filled from GUOBAN_2018_118 below
    publication_by_sector: tuple = (("market", 20, SAMR45_ART9),)
    # Simple-procedure decisions are not published by default (SAMR45 art.2: 适用普通程序). *configurable*
    publish_simple_procedure: bool = False
    # APL art.48 ¶2 / SAMR45 art.11: withdraw a published decision within 3 (working) days once it is
    # changed, revoked, declared unlawful or void.
    withdrawal_working_days: int = 3

    def filing_rule(self, sector: str) -> tuple[int, int, str]:
        """Working days to file a clue of a body of ``sector``, of its one extension, and the citation."""
        for code, days, extension, basis in self.filing_by_sector:
            if code == sector:
                return int(days), int(extension), basis
        return self.filing_working_days, self.filing_extension_working_days, self.filing_basis

    def review_days(self, body_code: str) -> int:
        """Working days of the legal review (法制审核) for a body (by its code)."""
        for code, days in self.review_by_body:
            if code == body_code:
                return int(days)
        return self.review_working_days

    def publication_rule(self, sector: str) -> tuple[int, str]:
        """Working days to publish a penalty decision of a body of ``sector``, and the citation."""
        for code, days, basis in self.publication_by_sector:
            if code == sector:
                return int(days), basis
        return self.publication_working_days, self.publication_basis or GUOBAN_2018_118


DEFAULT_POLICY = CasePolicy()


def money(value) -> str:
    return f"{Decimal(value or 0):,.2f}元"
