"""Annual assessment (R36): components computed from minimal data, weighted points, ranking and
year-on-year change, reproducible snapshots, scoping (office: jurisdiction; head: own body; others
refused), manual items validated with Chinese errors, list queries bounded."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.conftest import TODAY
from tests.factories import ItemFactory, OfficerFactory
from zhifa.cases.models import Case, RemedyPeriod
from zhifa.core.ledger import RecordEntry
from zhifa.core.violations import Refused
from zhifa.registry.models import TrainingRecord
from zhifa.supervision import assessment, assessment_components as comp
from zhifa.supervision.assessment_inputs import ManualItemIn
from zhifa.supervision.models import CaseFile, Evaluation, ManualAssessmentItem
from zhifa.supervision.services import load_default_sheet

pytestmark = pytest.mark.django_db
YEAR = TODAY.year


def evaluation(cw, case, score, grade="pass", on=dt.date(YEAR, 6, 1)):
    """A submitted office evaluation of ``case``'s file (minimal rows, no sampling)."""
    cf = CaseFile.objects.create(case=case, version=1 + CaseFile.objects.filter(case=case).count(), bound_on=on,
                                 bound_at=dt.datetime(on.year, on.month, on.day, tzinfo=dt.timezone.utc), binding_sha256="0" * 64)
    return Evaluation.objects.create(case_file=cf, body=case.body, sheet=load_default_sheet(), kind="office",
                                     evaluator=cw.world.users["supervisor"], state="submitted", score=Decimal(score),
                                     grade=grade, created_on=on, submitted_on=on)


def complaint(body, state="accepted", on=dt.date(YEAR, 3, 1)):
    from zhifa.portal.models import Complaint

    n = Complaint.objects.count()
    return Complaint.objects.create(tracking_code=f"T{n:06d}", kind="complaint", body=body, subject="执法态度", facts="……",
                                    source_hash="x", received_at=dt.datetime(on.year, on.month, on.day, tzinfo=dt.timezone.utc),
                                    received_on=on, accept_due=on + dt.timedelta(days=10), state=state)


@pytest.fixture
def data(cw):
    """The market bureau's year: one evaluation (80), one officer of five trained 60 hours, two
    remedies (one reversed), two items (one idle), two publications (one late), one complaint."""
    market = cw.world.market
    first, second = cw.register(), cw.register(party_name="另一商户")
    evaluation(cw, first, 80)
    TrainingRecord.objects.create(officer=cw.officer("officer1"), title="行政处罚法", held_on=dt.date(YEAR, 4, 1), hours=60)
    TrainingRecord.objects.create(officer=cw.officer("officer2"), title="行政处罚法", held_on=dt.date(YEAR - 1, 4, 1), hours=60)
    RemedyPeriod.objects.create(case=first, kind="reconsideration", start=dt.date(YEAR, 2, 1), end=dt.date(YEAR, 4, 1),
                                result="复议机关决定撤销原处罚决定")
    RemedyPeriod.objects.create(case=second, kind="litigation", start=dt.date(YEAR, 2, 1), end=dt.date(YEAR, 5, 1), result="判决驳回诉讼请求")
    ItemFactory(body=market, code="SJJ-CF-IDLE", valid_from=dt.date(2024, 1, 1))
    Case.objects.filter(pk=first.pk).update(publication_due=dt.date(YEAR, 5, 10), published_on=dt.date(YEAR, 5, 9))
    Case.objects.filter(pk=second.pk).update(publication_due=dt.date(YEAR, 5, 10), published_on=dt.date(YEAR, 5, 20))
    complaint(market)
    complaint(market, state="rejected")
    return market


def test_r36_training_component_reads_the_configured_yearly_hours(cw, data, settings):
    """One number (settings.ZHIFA["TRAINING_HOURS_PER_YEAR"]) for the registry, the alert, the
    congress report and the assessment: officer1's 60 hours fall short of a 61-hour minimum."""
    settings.ZHIFA = {**settings.ZHIFA, "TRAINING_HOURS_PER_YEAR": 61}
    assert comp.training_rate(YEAR, [data.pk])[data.pk].value == Decimal("0")
    settings.ZHIFA = {**settings.ZHIFA, "TRAINING_HOURS_PER_YEAR": 60}
    assert comp.training_rate(YEAR, [data.pk])[data.pk].value == Decimal("20.00")


def test_r36_each_component_is_computed_from_minimal_data(cw, data):
    ids = [data.pk, cw.world.urban.pk]
    assert comp.evaluation_results(YEAR, ids)[data.pk].value == Decimal("80.00")
    assert comp.training_rate(YEAR, ids)[data.pk].value == Decimal("20.00")  # 1 of officer1–3, reviewer1, head1
    assert comp.reversal_rate(YEAR, ids)[data.pk].value == Decimal("50.00")
    assert comp.zero_case_rate(YEAR, ids)[data.pk].value == Decimal("50.00")
    assert comp.publication_on_time(YEAR, ids)[data.pk].value == Decimal("50.00")
    from zhifa.portal.assessment_feed import complaints_accepted

    assert complaints_accepted(YEAR, ids)[data.pk].value == Decimal("2.00")  # 1 accepted ÷ 5 officers × 10
    assert cw.world.urban.pk not in comp.evaluation_results(YEAR, ids)  # no data → absent, the TOML decides
    assert comp.evaluation_results(YEAR - 1, ids) == {}


def test_r36_points_total_and_links_to_the_rows_behind_each_figure(cw, data, client):
    snapshot = assessment.compute_assessment(YEAR, actor=cw.actor("supervisor"))
    line = snapshot.scores.get(body=data)
    points = {code: Decimal(c["points"]) for code, c in line.components.items()}
    # evaluation 80 between 60 and 90 → 25 × 20/30; complaints: none found upheld → full 5; no rating → full 5;
    # no open alert → full 10; others at or past worst
    assert points == {"evaluation": Decimal("16.67"), "training": 0, "complaints": Decimal("5.00"), "ratings": Decimal("5.00"),
                      "reversals": 0, "zero_case": 0, "publication": 0, "alerts_open": Decimal("10.00")}
    assert line.total == Decimal("36.67")
    urban = snapshot.scores.get(body=cw.world.urban)  # no data: evaluation, complaints… full; training zero (no officer trained)
    assert urban.rank < line.rank
    assert not snapshot.scores.filter(body=cw.world.foreign_body).exists()  # outside the office's jurisdiction
    client.force_login(cw.world.users["supervisor"])
    page = client.get(line.components["publication"]["detail_url"])
    assert page.status_code == 200 and "另一商户" in page.content.decode()
    page = client.get(line.components["zero_case"]["detail_url"])
    assert "SJJ-CF-IDLE" in page.content.decode() and "SJJ-CF-001" not in page.content.decode()
    assert RecordEntry.objects.filter(stream=f"assessment:{YEAR}", action="compute_assessment").count() == 1


def test_r36_recomputing_gives_the_same_figures_and_a_change_gives_new_ones(cw, data):
    office = cw.actor("supervisor")
    first = assessment.compute_assessment(YEAR, actor=office)
    again = assessment.compute_assessment(YEAR, actor=office)
    assert (first.inputs_sha256, first.results_sha256) == (again.inputs_sha256, again.results_sha256)
    assert list(first.scores.values_list("body_id", "total", "rank")) == list(again.scores.values_list("body_id", "total", "rank"))
    assessment.add_manual_item(ManualItemIn(body_id=data.pk, year=YEAR, title="创新执法方式", points=Decimal("3"),
                                            reason="推行非现场执法，经市政府通报表扬"), actor=office)
    third = assessment.compute_assessment(YEAR, actor=office)
    assert third.inputs_sha256 != first.inputs_sha256
    assert third.scores.get(body=data).total == first.scores.get(body=data).total + 3


def test_r36_ranking_and_year_on_year_change(cw, data, api_as):
    office = cw.actor("supervisor")
    assessment.compute_assessment(YEAR - 1, actor=office)
    assessment.compute_assessment(YEAR, actor=office)
    body = api_as("supervisor").get("/api/v1/supervision/assessments", year=YEAR).json()
    line = next(i for i in body["items"] if i["body_id"] == data.pk)
    assert line["previous_total"] is not None and Decimal(line["change"]) == Decimal(line["total"]) - Decimal(line["previous_total"])
    assert [i["rank"] for i in body["items"]] == sorted(i["rank"] for i in body["items"])
    assert {c["code"] for c in line["components"]} >= {"evaluation", "training", "complaints", "reversals", "zero_case", "publication"}
    assert all(c["detail_url"].startswith(f"/supervision/assessments/{YEAR}/") for c in line["components"] if c["value"] is not None)


def test_r36_scoping_office_sees_its_jurisdiction_head_its_body_others_are_refused(cw, data, api_as, client):
    assessment.compute_assessment(YEAR, actor=cw.actor("supervisor"))
    office = api_as("supervisor").get("/api/v1/supervision/assessments", year=YEAR).json()
    assert cw.world.foreign_body.pk not in {i["body_id"] for i in office["items"]} and office["count"] >= 3
    head = api_as("head1").get("/api/v1/supervision/assessments", year=YEAR).json()
    assert [i["body_id"] for i in head["items"]] == [data.pk]
    assert api_as("officer1").get("/api/v1/supervision/assessments", year=YEAR).status_code == 403
    assert api_as("head1").post("/api/v1/supervision/assessments/compute", {"year": YEAR}).status_code == 403
    assert api_as("head1").post("/api/v1/supervision/assessments/manual-items", {
        "body_id": data.pk, "year": YEAR, "title": "自评加分", "points": 5, "reason": "自己给自己加分"}).status_code == 403
    client.force_login(cw.world.users["head1"])
    assert client.get(f"/supervision/assessments/{YEAR}/{cw.world.urban.pk}/publication/").status_code == 403
    assert client.get(f"/supervision/assessments/{YEAR}/{data.pk}/publication/").status_code == 200
    assert client.post("/supervision/assessments/", {"step": "compute", "year": YEAR}).status_code == 403
    client.force_login(cw.world.users["officer1"])
    assert client.get("/supervision/assessments/").status_code == 403


@pytest.mark.usefixtures("pages_today")
def test_r36_manual_item_form_answers_with_chinese_field_errors_and_stores_nothing(cw, client, api_as):
    client.force_login(cw.world.users["supervisor"])
    page = client.post(f"/supervision/assessments/?year={YEAR}", {"year": YEAR, "body_id": cw.world.market.pk, "title": "",
                                                                   "points": "25", "reason": "短"})
    text = page.content.decode()
    assert page.status_code == 400
    assert "请填写事项。" in text and "单项加分不超过 20 分。" in text and "理由至少 5 个字" in text
    page = client.post("/supervision/assessments/", {"year": YEAR, "body_id": cw.world.foreign_body.pk, "title": "加分",
                                                     "points": "2", "reason": "外市主体不在辖区"})
    assert page.status_code == 400 and "主体应在本监督机构所辖范围内。" in page.content.decode()
    assert not ManualAssessmentItem.objects.exists()
    bad = api_as("supervisor").post("/api/v1/supervision/assessments/manual-items", {
        "body_id": cw.world.market.pk, "year": YEAR, "title": "加分", "points": 50, "reason": "理由充分的说明"})
    assert bad.status_code == 422
    with pytest.raises(Refused):
        assessment.add_manual_item(ManualItemIn(body_id=cw.world.foreign_body.pk, year=YEAR, title="加分", points=Decimal(2),
                                                reason="外市主体不在辖区"), actor=cw.actor("supervisor"))
    ok = client.post(f"/supervision/assessments/?year={YEAR}", {"year": YEAR, "body_id": cw.world.market.pk, "title": "通报批评",
                                                                 "points": "-2", "reason": "执法过程中态度粗暴被通报"})
    assert ok.status_code == 302
    item = ManualAssessmentItem.objects.get()
    assert item.points == -2 and RecordEntry.objects.filter(stream=item.stream, action="add_manual_item").exists()


def test_r36_the_list_and_the_page_take_a_bounded_number_of_queries(cw, data, api_as, client, django_assert_max_num_queries,
                                                                    settings):
    settings.SECURE_SSL_REDIRECT = False
    for n in range(30):
        body = OfficerFactory(body__jurisdiction=cw.world.city, body__code=f"B{n:03d}").body
        ItemFactory(body=body)
    assessment.compute_assessment(YEAR, actor=cw.actor("supervisor"))
    api = api_as("supervisor")
    with django_assert_max_num_queries(12):
        assert api.get("/api/v1/supervision/assessments", year=YEAR, page_size=100).json()["count"] >= 33
    client.force_login(cw.world.users["supervisor"])
    with django_assert_max_num_queries(25):
        assert client.get(f"/supervision/assessments/?year={YEAR}").status_code == 200


def fake_alert_figures(year):
    return {1: {"overdue_rate": 12.5}, 2: {"overdue_rate": None}, 999: {"overdue_rate": 3}}


def test_r36_an_alert_figure_is_one_toml_entry_and_the_engines_function(cw, monkeypatch):
    from zhifa.supervision import selectors_alerts

    monkeypatch.setattr(selectors_alerts, "alert_figures", fake_alert_figures)
    got = comp.alert_figure(YEAR, [1, 2], figure="overdue_rate")
    assert list(got) == [1] and got[1].value == Decimal("12.5") and got[1].detail_url == "/supervision/alerts/?body=1"
    from zhifa.supervision.rules import assessment as rules

    raw = {"version": "x", "components": [{"code": "alerts", "name": "预警", "weight": 100, "direction": "lower", "best": 0, "worst": 20,
                                           "formula": "f", "basis": "b", "function": "zhifa.supervision.assessment_components:alert_figure",
                                           "params": {"figure": "overdue_rate"}}]}
    config = rules.parse_config(raw)
    assert config.components[0].kwargs == {"figure": "overdue_rate"}
    assert rules.parse_config(config.as_dict()) == config  # a snapshot's stored configuration reads back the same


def test_r36_the_office_computes_and_enters_manual_items_through_the_api(cw, data, api_as):
    api = api_as("supervisor")
    added = api.post("/api/v1/supervision/assessments/manual-items", {
        "body_id": data.pk, "year": YEAR, "title": "通报表扬", "points": "2.5", "reason": "执法案例入选省级指导案例"})
    assert added.status_code == 201 and Decimal(added.json()["points"]) == Decimal("2.5")
    computed = api.post("/api/v1/supervision/assessments/compute", {"year": YEAR})
    assert computed.status_code == 201 and len(computed.json()["inputs_sha256"]) == 64
    assert api.post("/api/v1/supervision/assessments/compute", {"year": YEAR + 1}).status_code == 409  # a year not yet begun
    body = api.get("/api/v1/supervision/assessments", year=YEAR).json()
    assert body["snapshot_id"] == computed.json()["snapshot_id"]
    assert Decimal(next(i for i in body["items"] if i["body_id"] == data.pk)["manual"]) == Decimal("2.5")
    assert api.get("/api/v1/supervision/assessments", year=YEAR - 3).json() == {
        "year": YEAR - 3, "snapshot_id": None, "computed_at": None, "config_version": "", "inputs_sha256": "", "results_sha256": "",
        "items": [], "count": 0, "page": 1, "page_size": 50}


def test_r36_a_place_sets_its_own_weights_and_the_snapshot_keeps_the_version_it_used(cw, data, settings, tmp_path, api_as):
    first = assessment.compute_assessment(YEAR, actor=cw.actor("supervisor"))
    text = (assessment.CONFIG_FILE.read_text(encoding="utf-8").replace('version = "2026.2"', 'version = "local-2"')
            .replace("weight = 25", "weight = 20").replace('name = "投诉举报成立件数（每十名执法人员）"\nweight = 5',
                                                         'name = "投诉举报成立件数（每十名执法人员）"\nweight = 10'))
    (tmp_path / "assessment.toml").write_text(text, encoding="utf-8")
    settings.ZHIFA = {**settings.ZHIFA, "ASSESSMENT_CONFIG": str(tmp_path / "assessment.toml")}
    second = assessment.compute_assessment(YEAR, actor=cw.actor("supervisor"))
    assert (first.config_version, second.config_version) == ("2026.2", "local-2")
    assert second.inputs_sha256 != first.inputs_sha256
    weights = {c["code"]: c["weight"] for c in api_as("supervisor").get("/api/v1/supervision/assessments", year=YEAR).json()["items"][0]["components"]}
    assert Decimal(str(weights["evaluation"])) == 20 and Decimal(str(weights["complaints"])) == 10
