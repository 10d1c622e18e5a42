"""The DB-backed working-day service, its API, the admin and ``zhifa load_holidays`` (legal-rules §0)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from zhifa.core import workdays
from zhifa.core.calendar import Due, Span
from zhifa.core.models import Holiday, HolidayYear

D = dt.date
pytestmark = pytest.mark.django_db

RECOMPUTED: list[list[int]] = []


def record_recompute(years):
    """A recompute hook as a cases app would register it."""
    RECOMPUTED.append(list(years))
    return 7


@pytest.fixture(autouse=True)
def without_2027():
    """The tests assume 2027's schedule is not loaded, whatever the installed package knows."""
    Holiday.objects.filter(day__year__gte=2027).delete()
    HolidayYear.objects.filter(year__gte=2027).delete()
    workdays.clear_cache()


@pytest.fixture
def csv_2027(tmp_path):
    """Test data shaped like a State Council notice for 2027 (invented for the test, not law)."""
    path = tmp_path / "2027.csv"
    path.write_text(
        "date,is_working_day,name\n"
        "2027-01-01,0,元旦\n"
        "2027-02-06,1,春节\n"
        "2027-02-08,0,春节\n"
        "2027-02-09,0,春节\n",
        encoding="utf-8",
    )
    return path


# --- Seeded by the data migration --------------------------------------------------------

def test_s0_fresh_database_is_seeded_from_chinese_calendar():
    years = list(HolidayYear.objects.values_list("year", flat=True))
    assert years[0] == 2004 and years[-1] >= 2026 and years == list(range(2004, years[-1] + 1))
    national_day = Holiday.objects.get(day=D(2025, 10, 1))
    assert (national_day.is_working_day, national_day.name) == (False, "国庆节")
    assert national_day.source.startswith("chinese-calendar")
    assert Holiday.objects.get(day=D(2025, 9, 28)).is_working_day  # 调休上班
    assert Holiday.objects.get(day=D(2026, 2, 14)).is_working_day


def test_s0_service_worked_examples():
    assert workdays.add_working_days(D(2025, 9, 30), 1) == Due(D(2025, 10, 9), False)
    assert workdays.add_working_days(D(2025, 9, 30), 3) == Due(D(2025, 10, 11), False)
    assert workdays.add_working_days(D(2026, 2, 14), 1) == Due(D(2026, 2, 24), False)
    assert workdays.add_calendar_days(D(2025, 9, 16), 15) == Due(D(2025, 10, 9), False)
    assert workdays.working_days_between(D(2025, 9, 30), D(2025, 10, 9)) == Span(1, False)
    assert workdays.is_working_day(D(2025, 9, 28)) and not workdays.is_working_day(D(2025, 10, 8))
    assert workdays.next_working_day(D(2025, 9, 30)) == D(2025, 10, 9)
    assert workdays.add_working_days(D(2026, 12, 30), 3) == Due(D(2027, 1, 4), True)


# --- Cache: one query per call, invalidated by any change ---------------------------------

def test_s0_cached_call_costs_one_query(django_assert_num_queries):
    workdays.add_working_days(D(2025, 9, 1), 90)
    with django_assert_num_queries(1):
        assert workdays.add_working_days(D(2025, 9, 1), 90).date == D(2026, 1, 12)
    schedule = workdays.schedule()
    with django_assert_num_queries(0):
        for n in range(200):
            schedule.add_working_days(D(2025, 9, 1), n)


def test_s0_added_holiday_is_seen_by_the_next_call():
    assert workdays.add_working_days(D(2025, 10, 9), 1).date == D(2025, 10, 10)
    Holiday.objects.create(day=D(2025, 10, 10), is_working_day=False, name="测试放假")
    assert workdays.add_working_days(D(2025, 10, 9), 1).date == D(2025, 10, 11)


def test_s0_edited_holiday_is_seen_by_the_next_call():
    assert workdays.add_working_days(D(2025, 9, 26), 1).date == D(2025, 9, 28)
    make_up = Holiday.objects.get(day=D(2025, 9, 28))
    make_up.is_working_day = False
    make_up.save()
    assert workdays.add_working_days(D(2025, 9, 26), 1).date == D(2025, 9, 29)


def test_s0_deleted_holiday_is_seen_by_the_next_call():
    assert workdays.add_working_days(D(2025, 9, 30), 1).date == D(2025, 10, 9)
    Holiday.objects.filter(day=D(2025, 10, 8)).delete()
    assert workdays.add_working_days(D(2025, 9, 30), 1).date == D(2025, 10, 8)


def test_s0_loaded_year_is_seen_by_the_next_call():
    assert workdays.add_working_days(D(2026, 12, 30), 2) == Due(D(2027, 1, 1), True)
    Holiday.objects.create(day=D(2027, 1, 1), is_working_day=False, name="元旦", source="测试")
    HolidayYear.objects.create(year=2027, source="测试")
    assert workdays.add_working_days(D(2026, 12, 30), 2) == Due(D(2027, 1, 4), False)


def test_s0_another_process_change_is_seen(django_assert_num_queries):
    """Another process changes the table behind this one's back (a raw SQL write): the stamp moves."""
    from django.db import connection

    workdays.schedule()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Holiday._meta.db_table} (day, is_working_day, name, source, updated_at)"
            " VALUES (%s, %s, %s, %s, %s)",
            [D(2025, 10, 10), False, "测试", "测试", dt.datetime(2030, 1, 1, tzinfo=dt.UTC)],
        )
    assert not workdays.is_working_day(D(2025, 10, 10))


# --- The stamp: read once per transaction --------------------------------------------------

def stamp_queries(ctx) -> int:
    return sum(1 for q in ctx.captured_queries if "MAX(loaded_at)" in q["sql"].replace('"', ""))


def test_s0_a_transaction_reads_the_stamp_once():
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    workdays.schedule()
    with CaptureQueriesContext(connection) as ctx:
        with transaction.atomic():  # one case action
            for n in range(15):
                workdays.add_working_days(D(2025, 9, 1), n)
                workdays.add_calendar_days(D(2025, 9, 1), n)
            with transaction.atomic():  # a nested savepoint is the same transaction
                workdays.is_working_day(D(2025, 10, 1))
        assert stamp_queries(ctx) == 1
        with transaction.atomic():  # the next action reads it again
            workdays.add_working_days(D(2025, 9, 1), 3)
            workdays.add_working_days(D(2025, 9, 1), 4)
        assert stamp_queries(ctx) == 2
        workdays.add_working_days(D(2025, 9, 1), 3)  # outside any transaction: every call
        workdays.add_working_days(D(2025, 9, 1), 4)
        assert stamp_queries(ctx) == 4


def test_s0_a_holiday_saved_in_the_transaction_is_seen_at_once():
    from django.db import transaction

    with transaction.atomic():
        assert workdays.add_working_days(D(2025, 10, 9), 1).date == D(2025, 10, 10)
        Holiday.objects.create(day=D(2025, 10, 10), is_working_day=False, name="测试放假")
        assert workdays.add_working_days(D(2025, 10, 9), 1).date == D(2025, 10, 11)
        Holiday.objects.filter(day=D(2025, 10, 10)).delete()
        assert workdays.add_working_days(D(2025, 10, 9), 1).date == D(2025, 10, 10)
        HolidayYear.objects.create(year=2027, source="测试")
        assert workdays.add_working_days(D(2026, 12, 30), 2) == Due(D(2027, 1, 1), False)


def test_s0_bulk_write_then_changed_is_seen_in_the_same_transaction():
    from django.db import transaction

    with transaction.atomic():
        assert workdays.is_working_day(D(2025, 10, 10))
        Holiday.objects.bulk_create([Holiday(day=D(2025, 10, 10), is_working_day=False, name="测试")])  # no signal
        workdays.changed()
        assert not workdays.is_working_day(D(2025, 10, 10))


def test_s0_a_rolled_back_transaction_does_not_lend_its_stamp():
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with pytest.raises(RuntimeError), transaction.atomic():
        workdays.schedule()
        raise RuntimeError
    with CaptureQueriesContext(connection) as ctx, transaction.atomic():
        workdays.schedule()
    assert stamp_queries(ctx) == 1


def _raw_insert_holiday(day):
    """Another process writes the table (raw SQL: no signal in this process)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Holiday._meta.db_table} (day, is_working_day, name, source, updated_at)"
            " VALUES (%s, %s, %s, %s, %s)",
            [day, False, "测试", "测试", dt.datetime(2030, 1, 1, tzinfo=dt.UTC)],
        )


@pytest.mark.django_db(transaction=True)
def test_s0_real_transactions_each_read_the_stamp_and_see_other_processes():
    """Real COMMIT/ROLLBACK (no test wrapper): another process's change, committed between two
    transactions, is seen by the next one."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    workdays.clear_cache()
    with CaptureQueriesContext(connection) as ctx:
        with transaction.atomic():
            assert workdays.is_working_day(D(2025, 10, 10)) and workdays.is_working_day(D(2025, 10, 10))
        assert stamp_queries(ctx) == 1
        _raw_insert_holiday(D(2025, 10, 10))  # committed by another process
        with transaction.atomic():
            assert not workdays.is_working_day(D(2025, 10, 10))
            assert not workdays.is_working_day(D(2025, 10, 10))
        assert stamp_queries(ctx) == 2
        with pytest.raises(RuntimeError), transaction.atomic():
            workdays.schedule()
            raise RuntimeError
        with transaction.atomic():
            workdays.schedule()
        assert stamp_queries(ctx) == 4


# --- API ------------------------------------------------------------------------------------

def get(path, **params):
    return Client().get(path, params, secure=True)  # settings redirect plain HTTP outside DEBUG


def test_s0_api_add_working_days_is_public_and_exact():
    response = get("/api/v1/calendar/add-working-days", start="2025-09-30", days=1)
    assert response.status_code == 200
    assert response.json() == {"date": "2025-10-09", "provisional": False}


def test_s0_api_add_working_days_into_unknown_year_is_provisional():
    response = get("/api/v1/calendar/add-working-days", start="2026-12-30", days=3)
    assert response.json() == {"date": "2027-01-04", "provisional": True}


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": "2025-13-01", "days": 1}, "start", "应为日期（YYYY-MM-DD）"),
        ({"start": "明天", "days": 1}, "start", "应为日期（YYYY-MM-DD）"),
        ({"start": "2025-09-30", "days": -1}, "days", "不得小于0"),
        ({"start": "2025-09-30", "days": 3651}, "days", "不得大于3650"),
        ({"start": "2025-09-30", "days": "七"}, "days", "应为整数"),
        ({"days": 1}, "start", "必填项"),
        ({"start": "1800-01-01", "days": 1}, "start", "日期超出支持范围（1949-10-01 至 2199-12-31）"),
    ],
)
def test_s0_api_bad_input_is_422_in_chinese(params, field, message):
    response = get("/api/v1/calendar/add-working-days", **params)
    assert response.status_code == 422
    assert {"field": field, "message": message} in [
        {"field": e["field"], "message": e["message"]} for e in response.json()["errors"]
    ]


def test_s0_api_largest_period_from_latest_date_answers():
    response = get("/api/v1/calendar/add-working-days", start="2199-12-31", days=3650)
    assert response.status_code == 200 and response.json()["provisional"] is True


def test_s0_api_add_calendar_days():
    response = get("/api/v1/calendar/add-calendar-days", start="2025-09-16", days=15)
    assert response.json() == {"date": "2025-10-09", "provisional": False}
    assert get("/api/v1/calendar/add-calendar-days", start="2025-09-16", days=-15).status_code == 422


def test_s0_api_working_days_between():
    response = get("/api/v1/calendar/working-days-between", start="2025-09-30", end="2025-10-15")
    assert response.json() == {"days": 6, "provisional": False}  # 10-09, 10, 11 (调休), 13, 14, 15
    response = get("/api/v1/calendar/working-days-between", start="2026-12-30", end="2027-01-04")
    assert response.json() == {"days": 3, "provisional": True}
    assert get("/api/v1/calendar/working-days-between", start="2025-09-30", end="x").status_code == 422


def test_s0_api_day_info():
    assert get("/api/v1/calendar/days/2025-09-28").json() == {
        "date": "2025-09-28",
        "is_working_day": True,
        "name": "国庆节",
        "provisional": False,
    }
    assert get("/api/v1/calendar/days/2027-01-01").json()["provisional"] is True
    assert get("/api/v1/calendar/days/2025-02-30").status_code == 422


def test_s0_api_is_in_openapi():
    paths = Client().get("/api/v1/openapi.json", secure=True).json()["paths"]
    assert "/api/v1/calendar/add-working-days" in paths


# --- load_holidays ---------------------------------------------------------------------------

def test_s0_load_holidays_from_package_is_idempotent(capsys):
    before = Holiday.objects.count()
    call_command("load_holidays")
    assert "已载入，跳过" in capsys.readouterr().out
    assert Holiday.objects.count() == before


def test_s0_load_holidays_replace_restores_the_package_year(capsys):
    Holiday.objects.filter(day=D(2025, 10, 8)).delete()
    Holiday.objects.create(day=D(2025, 12, 1), is_working_day=False, name="误录")
    call_command("load_holidays", year=[2025], replace=True)
    assert Holiday.objects.filter(day=D(2025, 10, 8), is_working_day=False).exists()
    assert not Holiday.objects.filter(day=D(2025, 12, 1)).exists()
    assert "替换了原有" in capsys.readouterr().out


def test_s0_load_holidays_unknown_year_from_package_is_refused():
    with pytest.raises(CommandError, match="2099"):
        call_command("load_holidays", year=[2099])


def test_s0_load_holidays_csv_makes_2027_final(csv_2027, capsys, settings):
    settings.ZHIFA = {**getattr(settings, "ZHIFA", {}), "CALENDAR_RECOMPUTE_HOOKS": [f"{__name__}.record_recompute"]}
    RECOMPUTED.clear()
    assert workdays.add_working_days(D(2026, 12, 30), 2).provisional
    call_command("load_holidays", csv_path=str(csv_2027))
    out = capsys.readouterr().out
    assert "载入 2027 年：3 个放假日、1 个调休上班日" in out
    assert "重新计算了 7 个临时期限" in out and RECOMPUTED == [[2027]]
    assert HolidayYear.objects.get(year=2027).source == "CSV 2027.csv"
    assert workdays.add_working_days(D(2026, 12, 30), 2) == Due(D(2027, 1, 4), False)
    assert workdays.add_working_days(D(2027, 2, 5), 1) == Due(D(2027, 2, 6), False)
    # Loaded once; again only with --replace.
    with pytest.raises(CommandError, match="--replace"):
        call_command("load_holidays", csv_path=str(csv_2027))
    call_command("load_holidays", csv_path=str(csv_2027), replace=True)
    assert Holiday.objects.filter(day__year=2027).count() == 4


def test_s0_load_holidays_without_hooks_says_how_to_recompute(csv_2027, capsys, settings):
    settings.ZHIFA = {**settings.ZHIFA, "CALENDAR_RECOMPUTE_HOOKS": []}
    call_command("load_holidays", csv_path=str(csv_2027))
    assert "CALENDAR_RECOMPUTE_HOOKS" in capsys.readouterr().out


def test_s0_load_holidays_dry_run_writes_nothing(csv_2027, capsys):
    call_command("load_holidays", csv_path=str(csv_2027), dry_run=True)
    assert "试运行" in capsys.readouterr().out
    assert not HolidayYear.objects.filter(year=2027).exists()
    assert not Holiday.objects.filter(day__year=2027).exists()


def test_s0_load_holidays_bad_csv_imports_nothing_and_lists_every_error(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(
        "date,is_working_day,name\n"
        "2027-01-01,0,元旦\n"
        "2027/02/06,1,春节\n"
        "2027-02-08,maybe,春节\n"
        "2027-02-10,1,春节\n"
        "2027-01-01,0,元旦\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="4 处错误"):
        call_command("load_holidays", csv_path=str(path))
    err = capsys.readouterr().err
    assert "第3行「date」" in err
    assert "第4行「is_working_day」" in err
    assert "第5行「is_working_day」" in err  # a Wednesday cannot be a make-up working day
    assert "第6行「date」" in err  # duplicate
    assert not Holiday.objects.filter(day__year=2027).exists()


def test_s0_load_holidays_bad_header_and_missing_file(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("日期,上班\n2027-01-01,0\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_holidays", csv_path=str(path))
    with pytest.raises(CommandError, match="无法读取"):
        call_command("load_holidays", csv_path=str(tmp_path / "missing.csv"))


# --- Admin ----------------------------------------------------------------------------------

def test_s0_admin_lists_holidays_years_and_tokens(admin_client):
    for url in ("/admin/core/holiday/", "/admin/core/holidayyear/", "/admin/core/apitoken/", "/admin/core/holiday/add/"):
        assert admin_client.get(url, secure=True).status_code == 200, url
    page = admin_client.get("/admin/core/holiday/", {"day__year": "2025"}, secure=True).content.decode()
    assert "国庆节" in page and "星期日" in page
    assert admin_client.get("/admin/core/apitoken/add/", secure=True).status_code == 403


def test_s0_seeded_table_agrees_with_chinese_calendar_on_every_known_day():
    import chinese_calendar

    schedule = workdays.schedule()
    day, last = D(2004, 1, 1), D(2026, 12, 31)
    while day <= last:
        assert schedule.is_working_day(day) == chinese_calendar.is_workday(day), day
        assert schedule.is_known(day)
        day += dt.timedelta(days=1)
