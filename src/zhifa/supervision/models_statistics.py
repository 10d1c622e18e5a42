"""Statistics aggregates (执法统计汇总表, R34): derived data, rebuilt from the source tables.

Three tables (docs/statistics.md explains how they stay correct):

- ``StatFact`` — what one source object (a case, a flexible act, a draw, a transfer, an
  evaluation, a notice, a complaint) contributes to the statistics: one row per measure, with
  the body, item, jurisdiction level and the day of the measure's date basis (统计口径日期).
  It is the memory that lets a change be applied as a delta: when a case's decision date moves,
  its old fact is subtracted from the old day and the new one added to the new day.
- ``StatDaily`` — the sums of the facts per (body, item, level, day, measure): what every page
  and the API read (a query over days, never over the cases table).
- ``StatState`` — one row: the last record entry (``core.ledger``) the aggregates have seen,
  and when they were refreshed (the figures' cut-off time, 数据截止时间).

Bodies and items are stored as plain ids (``item_id`` 0 = no item, e.g. an inspection or a
complaint): the table is derived, is rebuilt by ``zhifa refresh-statistics --full``, and must
not block deleting nothing (cases and bodies are never deleted).
"""
from __future__ import annotations

from django.db import models


class StatFact(models.Model):
    """统计事实: one source object's contribution to one measure on one day."""

    source = models.CharField("来源对象", max_length=40, help_text="如 case:42、draw:7（全过程记录的记录对象）")
    measure = models.CharField("指标", max_length=24)
    body_id = models.BigIntegerField("执法主体")
    item_id = models.BigIntegerField("执法事项（0 为不涉及事项）", default=0)
    level = models.CharField("层级", max_length=10)
    day = models.DateField("统计日期")
    count = models.IntegerField("数量", default=1)
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2, default=0)

    class Meta:
        verbose_name = "统计事实"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["source"], name="stat_fact_source")]


class RollUp(models.Model):
    """The shape every sum table shares (汇总表): a body, its jurisdiction level, a measure, and the
    count and amount summed over the facts of the row's key. The key's date is a day, a month (the
    1st) or a year (1 January); the ``Item…`` tables add the item."""

    body_id = models.BigIntegerField("执法主体")
    level = models.CharField("层级", max_length=10)
    measure = models.CharField("指标", max_length=24)
    count = models.IntegerField("数量", default=0)
    amount = models.DecimalField("金额（元）", max_digits=18, decimal_places=2, default=0)

    class Meta:
        abstract = True


class ItemRollUp(RollUp):
    """A sum table keyed by item too (``item_id`` 0 = no item)."""

    item_id = models.BigIntegerField("执法事项（0 为不涉及事项）", default=0)

    class Meta:
        abstract = True


def _keyed(name: str, fields: list[str], date: str) -> tuple[list, list]:
    """A sum table's Meta constraints and indexes: its key unique, and indexed by (date, measure)
    — a period's rows — and by (body, date) — one body's rows."""
    return ([models.UniqueConstraint(fields=fields, name=f"{name}_key")],
            [models.Index(fields=[date, "measure"], name=f"{name}_{date}"), models.Index(fields=["body_id", date], name=f"{name}_body")])


class StatDaily(ItemRollUp):
    """统计日汇总: the sum of the facts of one (body, item, level, day, measure)."""

    day = models.DateField("统计日期")

    class Meta:
        verbose_name = "统计日汇总"
        verbose_name_plural = verbose_name
        # a period's edge days (day range first), and one body's days
        constraints, indexes = _keyed("stat_daily", ["body_id", "item_id", "level", "day", "measure"], "day")


class StatState(models.Model):
    """统计刷新状态 (one row, pk 1): the record entry up to which the aggregates are current."""

    last_entry_id = models.BigIntegerField("已处理的最后一条全过程记录", default=0)
    refreshed_at = models.DateTimeField("刷新时间", null=True, blank=True)
    full_at = models.DateTimeField("最近一次全量重建时间", null=True, blank=True)

    class Meta:
        verbose_name = "统计刷新状态"
        verbose_name_plural = verbose_name


class StatMonthly(ItemRollUp):
    """统计月汇总（含事项）: the daily sums rolled up by month (``month`` = the 1st), per item.
    A period's whole months outside its whole years are read here."""

    month = models.DateField("月份（当月 1 日）")

    class Meta:
        verbose_name = "统计月汇总（按事项）"
        verbose_name_plural = verbose_name
        constraints, indexes = _keyed("stat_monthly", ["body_id", "item_id", "level", "month", "measure"], "month")


class StatBodyMonthly(RollUp):
    """统计月汇总（按主体）: the month's sums per body, without the item — what the grouping by
    month reads, and the groupings by body and level for the months outside whole years: at most
    bodies × months × measures rows, whatever the number of cases."""

    month = models.DateField("月份（当月 1 日）")

    class Meta:
        verbose_name = "统计月汇总（按主体）"
        verbose_name_plural = verbose_name
        constraints, indexes = _keyed("stat_body_monthly", ["body_id", "level", "month", "measure"], "month")


class StatYearly(ItemRollUp):
    """统计年汇总（含事项）: the monthly sums rolled up by calendar year (``year`` = 1 January), per
    item: a period's whole years are read here (a five-year range is five rows per key, not sixty)."""

    year = models.DateField("年度（当年 1 月 1 日）")

    class Meta:
        verbose_name = "统计年汇总（按事项）"
        verbose_name_plural = verbose_name
        constraints, indexes = _keyed("stat_yearly", ["body_id", "item_id", "level", "year", "measure"], "year")


class StatBodyYearly(RollUp):
    """统计年汇总（按主体）: the year's sums per body: the groupings by body and level and every
    total over whole years."""

    year = models.DateField("年度（当年 1 月 1 日）")

    class Meta:
        verbose_name = "统计年汇总（按主体）"
        verbose_name_plural = verbose_name
        constraints, indexes = _keyed("stat_body_yearly", ["body_id", "level", "year", "measure"], "year")
