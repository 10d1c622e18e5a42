"""Core use cases: holiday table edits leave a record on ``calendar:<year>`` (issue 13 §5)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from zhifa.core import ledger, services
from zhifa.core.holiday_sources import HolidayRow
from zhifa.core.models import Holiday, HolidayYear

pytestmark = pytest.mark.django_db
D = dt.date


def _entries(year: int):
    return list(ledger.RecordEntry.objects.filter(stream=f"calendar:{year}").order_by("seq"))


def test_loading_a_year_records_it_once_with_its_days():
    rows = [HolidayRow(D(2031, 1, 1), False, "元旦"), HolidayRow(D(2031, 1, 4), True, "元旦调休")]
    replaced = services.load_holiday_years([2031], rows, "CSV 2031.csv")
    assert replaced == {}
    [entry] = _entries(2031)
    assert entry.action == "load_holidays"
    assert entry.payload["days_off"] == ["2031-01-01"] and entry.payload["working_days"] == ["2031-01-04"]
    assert entry.payload["source"] == "CSV 2031.csv"
    assert HolidayYear.objects.filter(year=2031).exists() and Holiday.objects.filter(day__year=2031).count() == 2
    services.load_holiday_years([2031], rows[:1], "CSV 2031.csv")
    assert [e.payload["replaced"] for e in _entries(2031)] == [0, 2]
    assert ledger.verify("calendar:2031") is None


def test_the_command_records_each_loaded_year(tmp_path, capsys):
    path = tmp_path / "2031.csv"
    path.write_text("date,is_working_day,name\n2031-01-01,0,元旦\n", encoding="utf-8")
    call_command("load_holidays", csv_path=str(path), dry_run=True)
    assert _entries(2031) == []
    call_command("load_holidays", csv_path=str(path))
    [entry] = _entries(2031)
    assert entry.payload["days_off"] == ["2031-01-01"]


def test_hand_edits_of_a_holiday_are_recorded(admin_user):
    holiday = services.save_holiday(Holiday(day=D(2031, 5, 6), is_working_day=False, name="补休"), actor=admin_user)
    holiday.name = "劳动节补休"
    services.save_holiday(holiday, actor=admin_user, changed=["name"])
    services.delete_holiday(holiday, actor=admin_user)
    assert [e.action for e in _entries(2031)] == ["add_holiday", "edit_holiday", "delete_holiday"]
    assert _entries(2031)[1].payload["changed"] == ["name"] and _entries(2031)[0].actor_id == admin_user.pk


def test_the_admin_records_a_holiday_edit(admin_client):
    response = admin_client.post("/admin/core/holiday/add/", {"day": "2031-05-06", "is_working_day": "", "name": "补休",
                                                              "source": "手工"}, secure=True)
    assert response.status_code == 302, response.content[:500]
    [entry] = _entries(2031)
    assert entry.action == "add_holiday" and entry.payload["name"] == "补休"
