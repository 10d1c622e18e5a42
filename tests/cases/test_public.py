"""cases/public.py: published penalty decisions, redacted (legal-rules §I) — no natural person's
name, ID number or phone number from the stored case reaches the public output."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import TODAY
from zhifa.cases import public
from zhifa.cases.models import Case
from zhifa.core.pagination import Paging

pytestmark = pytest.mark.django_db

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def _case(cw, **kw) -> Case:
    data = dict(body=cw.world.market, item=cw.item, clue_received_on=TODAY - dt.timedelta(days=60),
                party_kind=Case.PartyKind.PERSON, party_name="王小明", party_id_code="650203199001011234",
                party_address="示例市示例区人民路18号3单元201室", party_phone="13912345678",
                act_date=TODAY - dt.timedelta(days=70), number="示市监罚〔2026〕1号",
                act_description="王小明在人民路18号销售过期食品，电话13912345678。",
                facts="经查，王小明（身份证号650203199001011234）销售过期食品。", decision_kinds=["fine"],
                decision_amount=Decimal("5000"), decided_on=TODAY - dt.timedelta(days=10),
                published_on=TODAY - dt.timedelta(days=5), state="executing")
    data.update(kw)
    return Case.objects.create(**data)


def test_a_published_decision_of_a_natural_person_is_redacted(cw):
    case = _case(cw)
    [row] = public.decisions()["items"]
    assert row["party_name"] == "王某" and row["party_id_code"] == "6****************4"
    text = repr(row)
    for secret in (case.party_name, case.party_id_code, case.party_phone, "3单元201室"):
        assert secret not in text
    assert row["decision_kind_labels"] == ["罚款"] and row["number"] == case.number


def test_an_organisation_keeps_its_name_and_credit_code(cw):
    _case(cw, party_kind=Case.PartyKind.ORGANISATION, party_name="示例商贸有限公司", party_id_code="91650200MA0000001X",
          facts="示例商贸有限公司销售过期食品。")
    [row] = public.decisions(q="商贸")["items"]
    assert row["party_name"] == "示例商贸有限公司" and row["party_id_code"] == "91650200MA0000001X"
    assert "示例商贸有限公司" in row["facts"]


def test_unpublished_and_withdrawn_decisions_are_not_public(cw):
    _case(cw, published_on=None, number="A")
    withdrawn = _case(cw, publication_withdrawn_on=TODAY, number="B")
    assert public.decisions()["count"] == 0 and public.decision_by_id(withdrawn.pk) is None


def test_a_natural_person_cannot_be_searched_by_name(cw):
    _case(cw)
    assert public.decisions(q="王小明")["count"] == 0


def test_decisions_query_count_is_constant(cw, django_assert_num_queries):
    for i in range(12):
        _case(cw, number=f"示市监罚〔2026〕{i}号")
    for size in (1, 12):
        with django_assert_num_queries(2):
            assert len(public.decisions(Paging(1, size))["items"]) == size


def _id_number(region: int, year: int, month: int, day: int, order: int) -> str:
    body = f"{region}{year:04d}{month:02d}{day:02d}{order:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


people = st.builds(
    lambda surname, given, id_parts, phone: (surname + given, _id_number(*id_parts), phone),
    st.sampled_from(SURNAMES), st.text(GIVEN, min_size=1, max_size=2),
    st.tuples(st.integers(110000, 659999), st.integers(1950, 2005), st.integers(1, 12), st.integers(1, 28),
              st.integers(0, 999)),
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(person=people, filler=st.text("，。的在于销售过期食品经查属实", max_size=20))
def test_no_natural_persons_name_id_or_phone_reaches_the_public(cw, person, filler):
    name, id_number, phone = person
    Case.objects.all().delete()
    _case(cw, party_name=name, party_id_code=id_number, party_phone=phone, party_address="示例市示例区幸福路7号",
          act_description=f"{name}{filler}，联系电话{phone}，住幸福路7号",
          facts=f"当事人{name}（公民身份号码{id_number}）{filler}，手机 {phone}。")
    output = repr(public.decisions()) + repr(public.decision_by_id(Case.objects.get().pk))
    assert name not in output and id_number not in output and phone not in output
