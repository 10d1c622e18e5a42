"""The party (当事人) as its own object, and the decision that names it as the law requires
(APL art.59 (一); legal-rules.md §F+): registration creates it, ``update_party`` completes it
(recorded, guarded), the migration gave every existing case its own, the API shows it to staff,
the public never sees a natural person's data, and the decision issued through the case action
prints it — and is refused, with the failing rule named, when what it must say is missing."""
from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tests.conftest import TODAY
from zhifa.cases import public
from zhifa.cases import services as s
from zhifa.cases.models import Case, Party
from zhifa.core import ledger
from zhifa.documents.models import Document

from .test_services import refused

pytestmark = pytest.mark.django_db

REASONING = "当事人销售过期食品，违法事实清楚，证据确凿，依法应予处罚。"


def test_registration_creates_the_party_as_its_own_object(cw):
    case = cw.register(party_service_address="示例市人民路2号收发室", act_place="示例市人民路2号门店")
    party = Party.objects.get(cases=case)
    assert (party.kind, party.name, party.id_type, party.id_number) == ("organisation", "示例商贸有限公司", "credit_code",
                                                                        "91650200MA0000001X")
    assert party.legal_representative == "王示例" and party.service_address == "示例市人民路2号收发室"
    assert party.body_id == case.body_id and case.act_place == "示例市人民路2号门店"


def test_registration_refuses_a_malformed_credit_code_and_changes_nothing(cw):
    before = (Case.objects.count(), Party.objects.count())
    assert refused(cw.register, party_id_code="12345") == ["INVALID_INPUT"]
    assert (Case.objects.count(), Party.objects.count()) == before


def test_apl59_update_party_completes_the_block_and_records_before_and_after(cw):
    case = cw.register(party_legal_representative="")
    s.update_party(case.pk, legal_representative="赵法人", service_address="示例市解放路9号", actor=cw.actor("officer1"))
    case.refresh_from_db()
    assert case.party.legal_representative == "赵法人" and case.party.service_address == "示例市解放路9号"
    from zhifa.core.models import RecordEntry

    last = RecordEntry.objects.filter(stream=case.stream).order_by("-seq").first()
    assert last.action == "update_party"
    assert last.payload["changes"] == {"legal_representative": "赵法人", "service_address": "示例市解放路9号"}
    assert last.payload["before"] == {"legal_representative": "", "service_address": "示例市人民路2号"}
    assert ledger.verify(case.stream) is None


def test_update_party_keeps_the_case_copy_in_step(cw):
    case = cw.register()
    s.update_party(case.pk, name="示例商贸（集团）有限公司", id_number="91650200ma0000002y", address="示例市新华路1号",
                   actor=cw.actor("officer1"))
    case.refresh_from_db()
    assert (case.party_name, case.party_id_code, case.party_address) == ("示例商贸（集团）有限公司", "91650200MA0000002Y", "示例市新华路1号")
    assert case.party.name == case.party_name and case.party.id_number == case.party_id_code


def test_update_party_denials(cw):
    case = cw.register()
    assert refused(s.update_party, case.pk, id_number="123", actor=cw.actor("officer1")) == ["INVALID_INPUT"]
    assert refused(s.update_party, case.pk, actor=cw.actor("officer1")) == ["INVALID_INPUT"]  # nothing to change
    with pytest.raises(Http404):  # another body's officer does not see the case
        s.update_party(case.pk, phone="0990-1", actor=cw.actor("officer_other"))
    filed = cw.walk(cw.register(party_id_code="91650200MA0000004Y"), "investigating")
    try:  # once filed, only the assigned officers (承办) complete the party
        codes = refused(s.update_party, filed.pk, phone="0990-1", actor=cw.actor("reviewer1"))
    except PermissionDenied:
        codes = ["FORBIDDEN"]
    assert codes in (["NOT_ASSIGNED"], ["FORBIDDEN"])
    assert Party.objects.get(cases=filed).phone == ""
    decided = cw.walk(cw.register(party_id_code="91650200MA0000003Y"), "decided")
    assert refused(s.update_party, decided.pk, phone="0990-1", actor=cw.actor("officer1")) == ["WRONG_STATE"]
    assert Party.objects.get(cases=case).phone == ""


def test_migration_gives_every_existing_case_its_own_party(cw):
    old = [cw.register(party_name=f"老案件当事人{i}", party_id_code=f"91650200MA000001{i}X") for i in range(3)]
    Case.objects.filter(pk__in=[c.pk for c in old]).update(party=None)
    Party.objects.filter(cases__isnull=True).delete()
    migration = importlib.import_module("zhifa.cases.migrations.0006_party")
    migration.one_party_per_case(django_apps, None)
    parties = {c.pk: Case.objects.get(pk=c.pk).party for c in old}
    assert len({p.pk for p in parties.values()}) == 3
    for case in old:
        p = parties[case.pk]
        assert (p.name, p.id_number, p.address, p.id_type) == (case.party_name, case.party_id_code, case.party_address, "credit_code")


def test_api_shows_the_party_to_staff_and_keeps_the_flat_fields(cw, api_as):
    case = cw.register()
    body = api_as("officer1").get(f"/api/v1/cases/{case.pk}").json()
    assert body["party_name"] == "示例商贸有限公司" and body["party_id_code"] == "91650200MA0000001X"
    assert body["party"]["legal_representative"] == "王示例" and body["party"]["id_type"] == "credit_code"


def test_r_public_never_shows_a_natural_persons_id_address_or_service_address(cw):
    case = cw.walk(cw.register(party_kind="person", party_name="张小三", party_id_code="650200199001014321",
                               party_legal_representative="", party_address="示例市幸福小区3栋",
                               party_service_address="示例市幸福小区3栋101室"), "decided")
    Case.objects.filter(pk=case.pk).update(published_on=TODAY, facts="张小三在示例市幸福小区3栋101室门前销售过期食品")
    shown = public.decision(public.published_decisions().get(pk=case.pk))
    text = str(shown)
    for secret in ("张小三", "650200199001014321", "幸福小区3栋101室", "幸福小区3栋"):
        assert secret not in text, secret
    assert "legal_representative" not in shown and "party" not in shown


# --- The decision issued through the case action ---------------------------------------------------

def test_f_plus_decision_names_violated_and_penalty_provisions_apart_and_the_legal_representative(cw):
    case = cw.walk(cw.register(act_place="示例市人民路2号门店"), "decided")
    doc = Document.objects.get(subject=case.stream, kind="penalty_decision")
    data = doc.data
    assert data["violated_provision"] == "《中华人民共和国食品安全法》第三十四条第（十）项"
    assert data["penalty"]["basis"] == "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项"
    assert data["party"]["legal_representative"] == "王示例" and data["party"]["kind"] == "organisation"
    assert data["facts"].startswith(f"{TODAY.year}年") and "示例市人民路2号门店" in data["facts"]
    assert data["evidence"] == ["现场笔录：现场检查笔录"]
    assert "告知当事人拟作出行政处罚的事实、理由、依据" in data["procedure"]["notice"]
    assert "未提出陈述、申辩" in data["procedure"]["response"]
    assert data["penalty"]["content"] == "罚款人民币5000.00元（大写：伍仟元整）"
    assert data["publication"]["applies"] is True and "公示" in data["publication"]["text"]


def test_f_plus_the_penalty_basis_never_carries_the_laws_amendment_history(cw):
    from zhifa.catalog.models import ItemProvision

    ItemProvision.objects.filter(item=cw.item, role="penalty").delete()
    cw.item.legal_basis = ("【法律】《中华人民共和国食品安全法》（2009年2月28日第十一届全国人民代表大会常务委员会第七次会议通过　"
                           "根据2021年4月29日第十三届全国人民代表大会常务委员会第二十八次会议《关于修改〈中华人民共和国道路交通安全法〉"
                           "等八部法律的决定》第二次修正）\n第一百二十四条第一款第五项：违反本法规定……")
    cw.item.save()
    case = cw.walk(cw.register(), "decided")
    basis = Document.objects.get(subject=case.stream, kind="penalty_decision").data["penalty"]["basis"]
    assert basis == "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项"


def test_f_plus_a_decision_missing_what_it_must_say_is_refused_409_with_the_rule_named(cw, api_as):
    from zhifa.catalog.models import ItemProvision

    ItemProvision.objects.filter(item=cw.item, role="violated").delete()  # the item names no 违法条款
    case = cw.walk(cw.register(party_legal_representative=""), "reviewed")
    s.notify(case.pk, kinds=["fine"], amount=Decimal("5000"), actor=cw.actor("officer1"))  # the walk set 违反 itself
    Case.objects.filter(pk=case.pk).update(violated_provision="")
    s.waive_defence(case.pk, actor=cw.actor("officer1"))
    response = api_as("head1").post(f"/api/v1/cases/{case.pk}/actions/decide",
                                    {"outcome": "penalty", "kinds": ["fine"], "amount": "5000", "reasoning": REASONING})
    assert response.status_code == 409
    codes = {v["code"] for v in response.json()["violations"]}
    assert {"DECISION_PARTY_INCOMPLETE", "DECISION_PROVISION_INVALID"} <= codes
    messages = " ".join(v["message"] for v in response.json()["violations"])
    assert "［当事人基本情况］" in messages and "法定代表人" in messages and "违反的法律规定" in messages
    case.refresh_from_db()
    assert case.state == "notified" and not Document.objects.filter(subject=case.stream, kind="penalty_decision").exists()
    # Completed, the same decision is issued.
    s.update_party(case.pk, legal_representative="王示例", actor=cw.actor("officer1"))
    Case.objects.filter(pk=case.pk).update(violated_provision="《中华人民共和国食品安全法》第三十四条第（十）项")
    s.decide(case.pk, outcome="penalty", kinds=["fine"], amount=Decimal("5000"), reasoning=REASONING, actor=cw.actor("head1"))


def test_apl59_remedies_are_data_per_body(cw):
    body = cw.world.market
    body.reconsideration_body, body.litigation_court = "示例市市场监督管理局的本级人民政府", "示例市铁路运输法院"
    body.payment_account = "示例市财政局非税收入专户，账号 6200 0000 0000 001"
    body.save()
    case = cw.walk(cw.register(), "decided")
    data = Document.objects.get(subject=case.stream, kind="penalty_decision").data
    assert data["remedies"]["reconsideration_body"] == "示例市市场监督管理局的本级人民政府"
    assert data["remedies"]["court"] == "示例市铁路运输法院"
    assert data["performance"]["account"].startswith("示例市财政局非税收入专户")


def test_apl45_a_statement_is_told_and_weighed_in_the_decision(cw):
    case = cw.walk(cw.register(), "notified")
    s.record_defence(case.pk, statement="店员疏忽，请求从轻", actor=cw.actor("officer1"))
    decide = dict(outcome="penalty", kinds=["fine"], amount=Decimal("5000"), reasoning=REASONING, actor=cw.actor("head1"))
    assert refused(s.decide, case.pk, **decide) == ["DECISION_PROCEDURE_MISSING"]
    s.decide(case.pk, **decide, defence_opinion="店员疏忽不能免除当事人的法定责任，不予采纳")
    response = Document.objects.get(subject=case.stream, kind="penalty_decision").data["procedure"]["response"]
    assert "称：店员疏忽，请求从轻" in response and "不予采纳" in response
    assert case.act_date < TODAY + dt.timedelta(days=1)


def test_f_plus_the_violated_provision_named_by_the_penalty_article_itself(cw):
    from zhifa.catalog.models import ItemProvision, Provision

    ItemProvision.objects.filter(item=cw.item, role="violated").delete()
    Provision.objects.filter(number=124).update(text="违反本法第三十四条第一款第十项规定，有下列情形之一，尚不构成犯罪的，……处五万元以上十万元以下罚款")
    case = cw.walk(cw.register(), "reviewed")
    Case.objects.filter(pk=case.pk).update(violated_provision="")  # nothing typed by the investigation
    s.notify(case.pk, kinds=["fine"], amount=Decimal("5000"), actor=cw.actor("officer1"))
    notice = Document.objects.get(subject=case.stream, kind="penalty_notice").data
    assert notice["violated_provision"] == "《中华人民共和国食品安全法》第三十四条第一款第（十）项"
    assert notice["penalty_basis"] == "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项"
