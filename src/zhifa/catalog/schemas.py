"""Typed shapes of the catalog API: enforcement items (行政执法事项, R09)."""
from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from ninja import Field, Schema

from zhifa.core import clock
from zhifa.core.pagination import Id, PageQuery, SearchText, choice_of, sort_choices

from .models import Item

ITEM_SORTS = {
    "code": ("code",),
    "name": ("name", "sub_name"),
    "kind": ("kind", "code"),
    "body": ("body_id", "code"),
    "valid_from": ("valid_from",),
}


class ItemFilters(PageQuery):
    q: Optional[SearchText] = Field(None, description="事项名称、子项名称、事项编码或实施依据包含的文字")
    body: Optional[Id] = Field(None, description="实施主体 id")
    kind: Optional[choice_of(Item.Kind)] = Field(None, description="权力类型")
    valid_on: Optional[dt.date] = Field(None, description="只列该日（YYYY-MM-DD）有效的事项")
    sort: Optional[Literal[sort_choices(ITEM_SORTS)]] = Field(None, description="排序字段，前加“-”为降序；默认按主体、编码")


class ItemOut(Schema):
    """行政执法事项: one power of a body, with its legal basis and period of validity."""

    id: int
    code: str = Field(..., description="事项编码")
    name: str = Field(..., description="事项名称")
    sub_name: str = Field(..., description="子项名称")
    full_name: str = Field(..., description="名称（含子项）")
    kind: choice_of(Item.Kind)
    kind_label: str
    legal_basis: str = Field(..., description="实施依据")
    body_id: int
    body_name: str = Field(..., description="实施主体")
    handling_unit: str = Field(..., description="承办机构")
    level: str = Field(..., description="实施层级")
    valid_from: dt.date = Field(..., description="生效日期")
    valid_to: Optional[dt.date] = Field(None, description="失效日期")
    is_valid_today: bool = Field(..., description="今日是否有效")
    source_seq: str = Field(..., description="清单序号")

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_body_name(obj) -> str:
        return obj.body.name

    @staticmethod
    def resolve_is_valid_today(obj) -> bool:
        today = clock.today()
        return obj.valid_from <= today and (obj.valid_to is None or today <= obj.valid_to)


class ItemDetailOut(ItemOut):
    source: str = Field(..., description="来源（导入的清单文件及行号）")


class ItemPage(Schema):
    items: list[ItemOut]
    count: int
    page: int
    page_size: int
