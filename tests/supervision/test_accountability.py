"""Accountability, exemption and fault tolerance (R39): a record references its source and the
persons; exemption has a ground from the list and is proposed and approved by different people;
the report counts corrected, exempted, held accountable."""
from __future__ import annotations

import pytest

from tests.factories import make_user
from zhifa.core.violations import Refused
from zhifa.registry import access
from zhifa.registry.models import SupervisionPost
from zhifa.supervision import inputs, services

pytestmark = pytest.mark.django_db


def codes(exc) -> list[str]:
    return [v.code for v in exc.value.violations]


def test_r39_exemption_needs_a_listed_ground_and_two_different_people(cw, api_as):
    second = make_user("supervisor2")
    SupervisionPost.objects.create(user=second, jurisdiction=cw.world.city, office="示例市司法局", name="赵监")
    office, other = cw.actor("supervisor"), access.actor_for(second)
    record = services.open_record(inputs.AccountabilityIn(body_id=cw.world.market.pk, source="complaint", source_ref="投诉2026-17",
                                                          officer_ids=[cw.officer("officer1").pk], finding="未出示执法证件"), actor=office)
    with pytest.raises(Refused) as exc:
        services.act_on_record(record.pk, "propose_exemption", inputs.AccountabilityActionIn(text="首次", ground="whatever"), actor=office)
    assert codes(exc) == ["REASON_REQUIRED"]
    services.act_on_record(record.pk, "propose_exemption",
                           inputs.AccountabilityActionIn(text="当事人隐瞒身份", ground="third_party"), actor=office)
    with pytest.raises(Refused) as exc:
        services.act_on_record(record.pk, "approve_exemption", inputs.AccountabilityActionIn(text="同意"), actor=office)
    assert codes(exc) == ["SAME_PERSON"]
    done = services.act_on_record(record.pk, "approve_exemption", inputs.AccountabilityActionIn(text="同意免责"), actor=other)
    assert done.state == "exempted" and done.ground == "third_party"
    second_record = services.open_record(inputs.AccountabilityIn(body_id=cw.world.market.pk, source="complaint",
                                                                 officer_ids=[cw.officer("officer2").pk], finding="态度粗暴"), actor=office)
    services.act_on_record(second_record.pk, "hold_accountable", inputs.AccountabilityActionIn(text="诫勉谈话"), actor=office)
    report = api_as("supervisor").get("/api/v1/supervision/accountability/report").json()
    assert report["exempted"] == 1 and report["accountable"] == 1 and report["corrected"] == 0
    assert api_as("head1").post("/api/v1/supervision/accountability", {
        "body_id": cw.world.market.pk, "source": "complaint", "officer_ids": [cw.officer("officer1").pk], "finding": "问题"}).status_code == 403
    assert api_as("supervisor").get("/api/v1/supervision/accountability").json()["count"] == 2


@pytest.mark.usefixtures("pages_today")
def test_r39_the_accountability_page_opens_and_decides(cw, client):
    client.force_login(cw.world.users["supervisor"])
    opened = client.post("/supervision/accountability/", {"action": "open", "body_id": cw.world.market.pk, "source": "complaint",
                                                          "officer_ids": str(cw.officer("officer1").pk), "finding": "未告知陈述申辩权利"})
    assert opened.status_code == 302
    from zhifa.supervision.models import AccountabilityRecord

    record = AccountabilityRecord.objects.get()
    refused = client.post("/supervision/accountability/", {"action": "record_correction", "record_id": record.pk, "text": ""})
    assert 'data-code="REASON_REQUIRED"' in refused.content.decode()
    client.post("/supervision/accountability/", {"action": "record_correction", "record_id": record.pk, "text": "已重新告知"})
    record.refresh_from_db()
    assert record.state == "corrected"
    assert "已纠正 1" in client.get("/supervision/accountability/").content.decode()
    client.force_login(cw.world.users["head1"])
    assert client.get("/supervision/accountability/").status_code == 403
