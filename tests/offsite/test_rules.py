"""R22 rules, pure (APL art.41; Metrology Law art.9), property-tested over dates."""
from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from zhifa.offsite import rules

BASE = dt.date(2026, 1, 1)
days = st.integers(min_value=-400, max_value=400).map(lambda n: BASE + dt.timedelta(days=n))


def file_(**kw) -> rules.DeviceFile:
    data = dict(basis_level="law", basis_in_force=True, basis_article="第一百一十四条", legal_review_on=BASE,
                technical_review_on=BASE, measuring=False, calibration_certificate="", calibration_valid_from=None,
                calibration_expires_on=None, signage_on=BASE, location="某路口", published_on=BASE, wait_days=0)
    data.update(kw)
    return rules.DeviceFile(**data)


def test_r22_only_a_law_or_administrative_regulation_in_force():
    assert rules.check_basis("law", True, "第一条") == []
    assert rules.check_basis("admin_regulation", True, "第一条") == []
    for level, in_force, article in [(None, False, ""), ("rule", True, "第一条"), ("local_regulation", True, "第一条"),
                                     ("law", False, "第一条"), ("law", True, " ")]:
        assert [v.code for v in rules.check_basis(level, in_force, article)] == [rules.DEVICE_NOT_LAWFUL]


@given(on=days, expires=days, wait=st.integers(min_value=0, max_value=60))
def test_r22_a_capture_day_is_usable_exactly_when_the_file_holds(on, expires, wait):
    f = file_(measuring=True, calibration_certificate="JD-1", calibration_valid_from=BASE - dt.timedelta(days=500),
              calibration_expires_on=expires, wait_days=wait)
    problems = {v.code for v in rules.check_device_on(f, on)}
    assert (rules.CALIBRATION_EXPIRED in problems) == (on > expires or on < BASE - dt.timedelta(days=500))
    assert (rules.DEVICE_FILE_INCOMPLETE in problems) == (on < BASE)
    assert (rules.DEVICE_WAITING_PERIOD in problems) == (on >= BASE and on < BASE + dt.timedelta(days=wait))
    usable = rules.usable_from(f)
    assert usable == BASE + dt.timedelta(days=wait)
    if not problems:
        assert on >= usable


def test_r22_review_reasons_and_evidence_gate():
    assert rules.check_review(True, "", "") == []
    assert [v.code for v in rules.check_review(False, "", "")] == ["REASON_REQUIRED"]
    assert [v.code for v in rules.check_review(False, "other", "")] == ["REASON_REQUIRED"]
    assert rules.check_review(False, "unclear", "") == []
    assert rules.check_usable_as_evidence("accepted") == []
    assert [v.code for v in rules.check_usable_as_evidence("pending")] == [rules.CAPTURE_NOT_REVIEWED]
    assert [v.code for v in rules.check_usable_as_evidence("rejected")] == [rules.CAPTURE_NOT_REVIEWED]
    assert rules.acceptance_rate(0, 0) is None and rules.acceptance_rate(3, 1) == 0.75
