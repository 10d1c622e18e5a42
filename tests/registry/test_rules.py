"""Pure rules of the registry (R04–R08), with hypothesis where the input space is large."""
import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from zhifa.registry import rules
from zhifa.registry.rules import CertificateFacts, CertificateState, OfficerFacts

TODAY = dt.date(2026, 11, 23)
VALID = CertificateFacts("650200001", "valid", dt.date(2024, 1, 1), dt.date(2029, 1, 1))


def officer(i=1, cert=VALID, **kw):
    return OfficerFacts(id=i, name=f"人员{i}", body_id=1, certificate=cert, **kw)


def test_r04_certificate_valid_through_its_expiry_day():
    cert = CertificateFacts("1", "valid", dt.date(2021, 11, 23), TODAY)
    assert rules.certificate_state(cert, TODAY) is CertificateState.VALID
    assert rules.certificate_state(cert, TODAY + dt.timedelta(days=1)) is CertificateState.EXPIRED


def test_r04_revocation_and_suspension_win_over_dates():
    assert rules.certificate_state(CertificateFacts("1", "revoked", VALID.issued_on, VALID.expires_on), TODAY) is CertificateState.REVOKED
    assert rules.certificate_state(CertificateFacts("1", "suspended", VALID.issued_on, VALID.expires_on), TODAY) is CertificateState.SUSPENDED
    assert rules.certificate_state(None, TODAY) is CertificateState.NONE


@given(issued=st.dates(), length=st.integers(0, 4000), today=st.dates())
def test_r04_valid_exactly_between_issue_and_expiry(issued, length, today):
    try:
        expires = issued + dt.timedelta(days=length)
    except OverflowError:
        return
    state = rules.certificate_state(CertificateFacts("1", "valid", issued, expires), today)
    assert (state is CertificateState.VALID) == (issued <= today <= expires)
    assert (rules.may_act(officer(cert=CertificateFacts("1", "valid", issued, expires)), today) == []) == (issued <= today <= expires)


def test_r04_expired_certificate_cannot_act():
    expired = CertificateFacts("1", "valid", dt.date(2018, 1, 1), dt.date(2023, 1, 1))
    [violation] = rules.may_act(officer(cert=expired), TODAY)
    assert violation.code == "CERTIFICATE_INVALID" and "过期" in violation.message and violation.basis


def test_r05_auxiliary_never_acts_even_with_certificate():
    [violation] = rules.may_act(officer(is_auxiliary=True), TODAY)
    assert violation.code == "AUXILIARY_CANNOT_ACT"


def test_r15_two_certified_officers_required_auxiliary_not_counted():
    found = rules.officers_may_act([officer(1), officer(2, is_auxiliary=True)], TODAY)
    assert [v.code for v in found] == ["AUXILIARY_CANNOT_ACT", "TWO_OFFICERS_REQUIRED"]
    assert rules.officers_may_act([officer(1), officer(2)], TODAY) == []


def test_r15_same_officer_twice_counts_once():
    assert [v.code for v in rules.officers_may_act([officer(1), officer(1)], TODAY)] == ["TWO_OFFICERS_REQUIRED"]


@given(st.lists(st.tuples(st.booleans(), st.booleans()), max_size=6))
def test_r15_qualified_count_decides(people):
    """Whatever the mix, the act is allowed iff at least two distinct certified non-auxiliaries."""
    facts = [officer(i, cert=VALID if certified else None, is_auxiliary=aux) for i, (certified, aux) in enumerate(people)]
    qualified = sum(1 for certified, aux in people if certified and not aux)
    codes = [v.code for v in rules.officers_may_act(facts, TODAY)]
    assert ("TWO_OFFICERS_REQUIRED" in codes) == (qualified < 2)
    assert len(codes) == (len(people) - qualified) + (qualified < 2)


def test_r06_body_without_reviewer_and_with_unqualified_reviewers_flagged():
    assert rules.body_reviewer_flags(1, [])[0].kind is rules.FlagKind.NO_LEGAL_REVIEWER
    assert rules.body_reviewer_flags(1, [rules.ReviewerFacts(1, False)])[0].kind is rules.FlagKind.REVIEWER_UNQUALIFIED
    assert rules.body_reviewer_flags(1, [rules.ReviewerFacts(1, False), rules.ReviewerFacts(2, True)]) == []


@given(st.decimals(min_value=0, max_value=500, places=1))
def test_r07_training_shortfall(hours):
    missing = rules.training_shortfall(hours, 60)
    assert missing >= 0 and (missing == 0) == (hours >= 60) and (missing == 0 or hours + missing == Decimal(60))


def test_r07_township_head_needs_experience():
    assert not rules.township_head_experienced(True, True, 0, 1)
    assert rules.township_head_experienced(True, True, 3, 1)
    assert rules.township_head_experienced(False, True, 0, 1)
    assert rules.township_head_experienced(True, False, 0, 1)


def test_r08_assignment_active_window():
    assert rules.assignment_active(dt.date(2026, 1, 1), None, TODAY)
    assert not rules.assignment_active(dt.date(2026, 1, 1), dt.date(2026, 6, 30), TODAY)
    assert not rules.assignment_active(dt.date(2026, 12, 1), None, TODAY)


def test_r04_expiry_flags():
    soon = CertificateFacts("1", "valid", dt.date(2021, 12, 1), TODAY + dt.timedelta(days=90))
    later = CertificateFacts("1", "valid", dt.date(2021, 12, 1), TODAY + dt.timedelta(days=91))
    assert rules.certificate_expiry_flag(soon, TODAY, 90) is rules.FlagKind.CERTIFICATE_EXPIRING
    assert rules.certificate_expiry_flag(later, TODAY, 90) is None
    assert rules.certificate_expiry_flag(None, TODAY, 90) is rules.FlagKind.NO_CERTIFICATE
