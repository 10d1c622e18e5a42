"""Portal fixtures: demo-like public data — a published decision of a natural person and one of
an organisation, a withdrawn decision, a revealed draw with a published result of an individual
business named after its operator, guidance cases and complaints in every state."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.conftest import TODAY
from tests.factories import ItemFactory
from tests.inspections.conftest import credit_code
from zhifa.cases.models import Case
from zhifa.core import clock, ledger
from zhifa.inspections.models import Entity, Inspection
from zhifa.registry.access import actor_for

PERSON = ("王小明", "650203199001011234", "13912345678", "示例市示例区人民路18号")
OPERATOR = "张卫国"


@pytest.fixture
def frozen():
    with clock.frozen(dt.datetime(2026, 11, 23, 9, 0, tzinfo=clock.SHANGHAI)):
        yield


@pytest.fixture
def public_data(world, frozen):
    """Everything the portal shows, with natural persons' data in the source rows."""
    from tests.inspections.drawing import revealed_draw
    from zhifa.inspections.models import InspectionItem
    from zhifa.portal.demo import load_portal_demo

    item = ItemFactory(body=world.market, code="SJJ-CF-001", name="对销售过期食品的处罚")
    name, id_number, phone, address = PERSON
    base = dict(body=world.market, item=item, clue_received_on=TODAY - dt.timedelta(days=60),
                act_date=TODAY - dt.timedelta(days=70), decision_kinds=["fine"], decision_amount=Decimal("5000"),
                decided_on=TODAY - dt.timedelta(days=10))
    person = Case.objects.create(**base, party_kind=Case.PartyKind.PERSON, party_name=name, party_id_code=id_number,
                                 party_address=address, party_phone=phone, number="示市监罚〔2026〕1号",
                                 act_description=f"{name}销售过期食品", facts=f"{name}（电话{phone}，住{address}）销售过期食品",
                                 published_on=TODAY - dt.timedelta(days=5))
    organisation = Case.objects.create(**base, party_kind=Case.PartyKind.ORGANISATION, party_name="示例食品有限公司",
                                       party_id_code="91650203MA12345678", number="示市监罚〔2026〕2号",
                                       act_description="销售过期食品", facts="经查属实", published_on=TODAY - dt.timedelta(days=4))
    withdrawn = Case.objects.create(**base, party_kind=Case.PartyKind.PERSON, party_name="李大海",
                                    party_id_code="650203198502021238", number="示市监罚〔2026〕3号",
                                    act_description="李大海销售过期食品", facts="李大海销售过期食品",
                                    publication_withdrawn_on=TODAY - dt.timedelta(days=1))
    ledger.append(f"case:{withdrawn.pk}", "withdraw_publication", {"reason": "李大海申请行政复议，决定已被撤销"})
    head = actor_for(world.users["head1"])
    inspection_item = InspectionItem.objects.create(
        code="SJ-001", name="食品经营者落实主体责任情况检查", body=world.market,
        legal_basis="《中华人民共和国食品安全法》第一百一十条", checklist=["持证经营", "进货查验记录"])
    Entity.objects.create(credit_code=credit_code(900), name=OPERATOR, kind=Entity.Kind.INDIVIDUAL, industry="餐饮",
                          address="示例市示例区幸福路3号")
    draw = revealed_draw(world, head, inspection_item, entities=4, sample=5)
    Inspection.objects.filter(draw=draw).update(outcome="no_problem", inspected_on=TODAY - dt.timedelta(days=2),
                                                published_on=TODAY - dt.timedelta(days=1))
    load_portal_demo(TODAY)
    return {"person": person, "organisation": organisation, "withdrawn": withdrawn, "draw": draw}
