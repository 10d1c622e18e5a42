"""Fixtures of the case tests: the world's market bureau with a penalty item, actors, the clock
frozen on the world's day, and ``walk(case, to)`` that takes a case through the normal procedure."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from tests.conftest import TODAY
from tests.factories import ItemFactory
from zhifa.core import clock, workdays
from zhifa.core.violations import Refused
from zhifa.registry import access

from zhifa.cases import services as s


def refused(fn, *args, **kw) -> list[str]:
    """The codes of the violations ``fn(*args, **kw)`` is refused with (it must be refused)."""
    with pytest.raises(Refused) as info:
        fn(*args, **kw)
    return [v.code for v in info.value.violations]


def later(days: int):
    """The clock frozen ``days`` after the world's day."""
    return clock.frozen(TODAY + dt.timedelta(days=days))


@pytest.fixture(autouse=True)
def deferred_documents(settings):
    """Case actions issue their documents (number, data, data hash) in deferred rendering: the
    PDF and DOCX are made on first download, so thousands of actions stay fast. The tests of
    tests/cases/test_documents.py switch back to immediate rendering where they check files."""
    settings.ZHIFA = {**settings.ZHIFA, "DOCUMENT_RENDERING": "deferred"}


@pytest.fixture(autouse=True)
def frozen_clock():
    workdays.clear_cache()
    with clock.frozen(TODAY):
        yield


# The provision the fixture's act violates (违反), cited apart from the penalty provision (依据).
VIOLATED = "《中华人民共和国食品安全法》第三十四条第（十）项"


@dataclass
class CaseWorld:
    world: object
    item: object

    def actor(self, username: str) -> access.Actor:
        return access.actor_for(self.world.users[username])

    def officer(self, username: str):
        return self.world.officers[username]

    def register(self, **kw):
        data = dict(item_code=self.item.code, party_kind="organisation", party_name="示例商贸有限公司",
                    party_id_code="91650200MA0000001X", party_address="示例市人民路2号", party_legal_representative="王示例",
                    act_date=TODAY - dt.timedelta(days=30), clue="群众举报销售过期食品", source="complaint")
        data.update(kw)
        return s.register_source(**data, actor=self.actor(kw.pop("by", "officer1")))

    def walk(self, case, to: str, amount=Decimal("5000"), kinds=("fine",)):
        """Take ``case`` (normal procedure) to state ``to`` with the demo accounts."""
        o1, o2 = self.officer("officer1"), self.officer("officer2")
        head, off = self.actor("head1"), self.actor("officer1")
        steps = [
            ("investigating", lambda: (s.file_case(case.pk, officer_ids=[o1.pk, o2.pk], actor=head),
                                       s.show_credentials(case.pk, actor=off),
                                       s.record_evidence(case.pk, kind="record", title="现场检查笔录", actor=off))),
            ("investigated", lambda: s.end_investigation(case.pk, report="经调查，当事人销售过期食品属实。", facts="销售过期食品",
                                                         proposed_kinds=list(kinds), proposed_amount=amount,
                                                         violated_provision=VIOLATED, actor=off)),
            ("reviewed", lambda: s.review_case(case.pk, opinion="事实清楚，同意", actor=head)),
            ("notified", lambda: s.notify(case.pk, kinds=list(kinds), amount=amount, actor=off)),
            ("decided", lambda: (s.waive_defence(case.pk, actor=off),
                                 s.waive_hearing(case.pk, actor=off) if s.Case.objects.get(pk=case.pk).hearing_due else None,
                                 s.decide(case.pk, outcome="penalty", kinds=list(kinds), amount=amount,
                                          reasoning="当事人销售过期食品，依法应予处罚。", actor=head))),
            ("served", lambda: s.serve(case.pk, actor=off)),
            ("executed", lambda: s.pay(case.pk, amount=amount, actor=off)),
            ("closed", lambda: s.close_case(case.pk, actor=head)),
            ("archived", lambda: s.archive_case(case.pk, actor=off)),
        ]
        for state, step in steps:
            step()
            if state == to:
                break
        case.refresh_from_db()
        assert case.state == to, case.state
        return case


def food_safety_provisions(item) -> None:
    """The item's basis resolved as the catalogue resolves it (catalog.provisions.link_items): the
    violated provision (违法条款, art.34 (10)) and the penalty provision (处罚条款, art.124 ¶1 (5))."""
    from zhifa.catalog.models import ItemProvision, Law, Provision

    law = Law.objects.create(title="中华人民共和国食品安全法", short_title="食品安全法", level="law",
                             version_date=dt.date(2021, 4, 29), effective_from=dt.date(2021, 4, 29))
    art34 = Provision.objects.create(law=law, number=34, label="第三十四条", chapter="第四章　食品生产经营",
                                     text="禁止生产经营下列食品、食品添加剂、食品相关产品：……（十）标注虚假生产日期、保质期或者超过保质期的食品、食品添加剂；",
                                     effective_from=law.effective_from)
    art124 = Provision.objects.create(law=law, number=124, label="第一百二十四条", chapter="第九章　法律责任",
                                      text="违反本法规定，有下列情形之一，……处五万元以上十万元以下罚款……",
                                      effective_from=law.effective_from)
    ItemProvision.objects.create(item=item, provision=art34, role="violated", paragraph=0, cited_as="第三十四条第十项")
    ItemProvision.objects.create(item=item, provision=art124, role="penalty", paragraph=1, cited_as="第一百二十四条第一款第五项")


@pytest.fixture
def cw(world) -> CaseWorld:
    item = ItemFactory(body=world.market, code="SJJ-CF-001", name="对销售过期食品的处罚",
                       legal_basis="《中华人民共和国食品安全法》第一百二十四条")
    food_safety_provisions(item)
    return CaseWorld(world, item)
