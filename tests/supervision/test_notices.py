"""Supervision notices (R32): issue → respond with evidence → send back or accept; closes only on
accepted evidence; every step recorded; the body answers, the office decides."""
from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tests.conftest import TODAY
from zhifa.core import ledger
from zhifa.core.violations import Refused
from zhifa.supervision import inputs, services

pytestmark = pytest.mark.django_db

EVIDENCE = [{"title": "整改报告", "description": "已补正送达回证", "sha256": "a" * 64}]


def codes(exc) -> list[str]:
    return [v.code for v in exc.value.violations]


@pytest.fixture
def notice(cw):
    data = inputs.NoticeIn(kind="supervision_notice", body_id=cw.world.market.pk, source="complaint",
                           findings="送达回证缺少受送达人签名", basis="行政处罚法第六十一条", rectify="补正送达手续并报送整改情况")
    return services.issue_notice(data, actor=cw.actor("supervisor"))


def test_r32_a_notice_goes_from_issue_to_close_only_on_accepted_evidence(cw, notice):
    assert notice.state == "issued" and notice.due > TODAY and "监督〔2026〕1号" in notice.number
    head, office = cw.actor("head1"), cw.actor("supervisor")
    with pytest.raises(Refused) as exc:
        services.act_on_notice(notice.pk, "respond", inputs.NoticeActionIn(text="已整改"), actor=head)
    assert codes(exc) == ["RECTIFICATION_EVIDENCE_REQUIRED"]
    with pytest.raises(Refused) as exc:
        services.act_on_notice(notice.pk, "accept", inputs.NoticeActionIn(), actor=office)
    assert codes(exc) == ["WRONG_STATE", "RECTIFICATION_EVIDENCE_REQUIRED"]
    services.act_on_notice(notice.pk, "respond", inputs.NoticeActionIn(text="已整改", evidence=EVIDENCE), actor=head)
    with pytest.raises(Refused) as exc:
        services.act_on_notice(notice.pk, "send_back", inputs.NoticeActionIn(), actor=office)
    assert codes(exc) == ["REASON_REQUIRED"]
    assert services.act_on_notice(notice.pk, "send_back", inputs.NoticeActionIn(text="证明材料不完整"), actor=office).state == "returned"
    services.act_on_notice(notice.pk, "respond", inputs.NoticeActionIn(text="补充材料", evidence=EVIDENCE * 2), actor=head)
    closed = services.act_on_notice(notice.pk, "accept", inputs.NoticeActionIn(text="整改到位"), actor=office)
    assert closed.state == "closed" and closed.closed_on == TODAY
    actions = list(ledger.RecordEntry.objects.filter(stream=notice.stream).order_by("seq").values_list("action", flat=True))
    assert actions == ["issue", "respond", "send_back", "respond", "accept"]
    assert ledger.verify(notice.stream) is None


def test_r32_only_the_body_answers_and_only_the_office_decides(cw, notice):
    with pytest.raises(Http404):
        services.act_on_notice(notice.pk, "respond", inputs.NoticeActionIn(text="x", evidence=EVIDENCE), actor=cw.actor("officer_other"))
    with pytest.raises(PermissionDenied):
        services.act_on_notice(notice.pk, "accept", inputs.NoticeActionIn(), actor=cw.actor("head1"))
    with pytest.raises(PermissionDenied):
        services.issue_notice(inputs.NoticeIn(kind="supervision_notice", body_id=cw.world.market.pk, source="complaint",
                                              findings="问题", basis="依据", rectify="整改"), actor=cw.actor("head1"))
    with pytest.raises(Refused) as exc:
        services.issue_notice(inputs.NoticeIn(kind="supervision_notice", body_id=cw.world.foreign_body.pk, source="complaint",
                                              findings="问题", basis="依据", rectify="整改"), actor=cw.actor("supervisor"))
    assert codes(exc) == ["INVALID_INPUT"]

