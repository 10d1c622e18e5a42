"""The report to the people's congress (R37): generated from the statistics, the same figures
every time, equal to the statistics endpoint's; PDF and editable Word; office only."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest

from zhifa.supervision import congress
from zhifa.supervision.services import statistics as refreshing

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(cw):
    case = cw.walk(cw.register(), "decided", amount=Decimal("5000.50"))
    refreshing.refresh()  # what the after-act task does once the acts commit
    return case


def test_r37_two_generations_give_the_same_figures_equal_to_the_statistics_endpoint(cw, decided, api_as):
    office = cw.actor("supervisor")
    first, second = congress.build(office, 2026), congress.build(office, 2026)
    assert first.figures() == second.figures() and first.cut_off == second.cut_off
    volume = first.sections[0].figures
    stats = api_as("supervisor").get("/api/v1/supervision/statistics", **{"from": "2026-01-01", "to": "2026-12-31"}).json()
    assert volume["cases_filed"] == stats["total"]["figures"]["cases_filed"]["count"] == 1
    assert volume["penalties"] == stats["total"]["figures"]["penalties"]["count"] == 1
    assert f"{volume['penalty_amount']:.2f}" == stats["total"]["figures"]["penalties"]["amount"] == "5000.50"
    api = api_as("supervisor").get("/api/v1/supervision/reports/congress", year=2026, format="json").json()
    assert api["sections"]["一、行政执法总体情况"]["cases_filed"] == 1


def test_r37_pdf_and_word_carry_the_figures_the_charts_and_the_cut_off(cw, decided, api_as):
    office = api_as("supervisor")
    pdf = office.get("/api/v1/supervision/reports/congress", year=2026, format="pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "数据截止时间" in text and "5,000.50" in text
    docx = office.get("/api/v1/supervision/reports/congress", year=2026, format="docx")
    assert docx.status_code == 200
    from docx import Document

    doc = Document(io.BytesIO(docx.content))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "数据截止时间" in body and "罚没金额 5,000.50 元" in body
    assert len(doc.inline_shapes) >= 2  # the charts, as pictures


def test_r37_only_the_office_generates_the_report_and_a_future_year_is_refused(cw, api_as):
    assert api_as("officer1").get("/api/v1/supervision/reports/congress", year=2026).status_code == 403
    assert api_as("head1").get("/api/v1/supervision/reports/congress", year=2026).status_code == 403
    assert api_as(None).get("/api/v1/supervision/reports/congress", year=2026).status_code == 401
    future = api_as("supervisor").get("/api/v1/supervision/reports/congress", year=2099)
    assert future.status_code == 422 and "不能晚于本年度" in future.json()["detail"]


def test_r37_the_report_states_the_alerts_and_the_assessment_of_the_year(cw, decided):
    """Sections 八 and 九: the alert engine's figures (R33) of the bodies in scope and the stored
    annual assessment (R36) with its ranking."""
    import datetime as dt

    from tests.cases.conftest import TODAY
    from zhifa.cases.models import Case
    from zhifa.supervision import assessment, services

    office = cw.actor("supervisor")
    Case.objects.filter(pk=decided.pk).update(next_due=TODAY - dt.timedelta(days=2), next_due_kind="service")
    services.run_alerts([decided.pk], codes=["OVERDUE_STEP"], today=TODAY)
    sections = {s.title: s for s in congress.build(office, 2026).sections}
    alerts = sections["八、执法监督预警及处置情况"]
    assert alerts.figures["alerts_raised"] == 1 and alerts.figures["alerts_overdue_raised"] == 1
    assert "年末仍待处理 1 条" in alerts.paragraphs[0]
    assert sections["九、年度行政执法考核结果"].figures == {"assessed_bodies": 0}
    assessment.compute_assessment(2026, actor=office)
    assessed = {s.title: s for s in congress.build(office, 2026).sections}["九、年度行政执法考核结果"]
    assert assessed.figures["assessed_bodies"] >= 1 and assessed.tables[0].rows[0][0] == "1"
