"""Seed the holiday table from the installed ``chinese-calendar`` package (legal-rules §0).

Every fresh database (``make run``, the tests) starts with every year the package knows.
Later years are loaded with ``zhifa load_holidays`` (from a newer package or a CSV file).
Years already present are left alone, so the migration never overwrites an administrator's edits.
"""
from django.db import migrations


def seed(apps, schema_editor):
    from zhifa.core.holiday_sources import package_label, package_rows, package_years

    Holiday = apps.get_model("core", "Holiday")
    HolidayYear = apps.get_model("core", "HolidayYear")
    loaded = set(HolidayYear.objects.values_list("year", flat=True))
    years = [year for year in package_years() if year not in loaded]
    if not years:
        return
    label = package_label()
    taken = set(Holiday.objects.filter(day__year__in=years).values_list("day", flat=True))
    Holiday.objects.bulk_create(
        [
            Holiday(day=row.day, is_working_day=row.is_working_day, name=row.name, source=label)
            for row in package_rows(set(years))
            if row.day not in taken
        ],
        batch_size=500,
    )
    HolidayYear.objects.bulk_create([HolidayYear(year=year, source=label) for year in years])


class Migration(migrations.Migration):
    dependencies = [("core", "0002_holiday_updated_at")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop, elidable=False)]
