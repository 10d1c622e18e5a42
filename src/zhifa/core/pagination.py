"""Paging (分页) for every list of the JSON API, and the shared response shapes.

A list endpoint takes ``?page=1&page_size=50`` (at most ``MAX_PAGE_SIZE``) and answers
``{"items": [...], "count": N, "page": p, "page_size": s}``. A page past the end is an empty
``items`` list, not an error. Bounds are enforced by the schema so bad input is a 422 with field
messages (the root handler in ``zhifa.api`` writes them in Chinese).

Sorting is per endpoint: each filter schema declares ``sort`` as a ``Literal`` of its whitelist
(so OpenAPI lists the choices and anything else is a 422), and ``order_by`` maps it to fields.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Callable, Iterable, Literal, Mapping, Sequence

from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 1_000_000  # keeps OFFSET inside a 64-bit integer on every database
MAX_ID = 2**63 - 1  # BigAutoField


def no_nul(value: str | None) -> str | None:
    """PostgreSQL rejects NUL characters in text (a DataError, so a 500); refuse them as bad
    input (422) instead. Use through ``CleanText`` on any free-text input."""
    if value is not None and "\x00" in value:
        raise PydanticCustomError("nul_character", "不得包含空字符")
    return value


MAX_JSON_DEPTH = 32  # free JSON objects of the API (document data, item lists) are shallow


def clean_json(value: Any) -> Any:
    """``no_nul`` for a free JSON value from the request (keys included) — PostgreSQL's ``jsonb``
    rejects ``\\u0000`` too — and at most ``MAX_JSON_DEPTH`` levels deep (deeper ones overflow the
    recursion of the encoders and renderers: a 500). Iterative, whatever the nesting."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise PydanticCustomError("json_too_deep", "嵌套层次过深（至多{max_depth}层）", {"max_depth": MAX_JSON_DEPTH})
        if isinstance(item, str):
            no_nul(item)
        elif isinstance(item, dict):
            stack.extend((key, depth) for key in item)
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend((child, depth + 1) for child in item)
    return value


# Free text without NUL; a search text: also bounded (endpoints trim it).
CleanText = Annotated[str, AfterValidator(no_nul)]
SearchText = Annotated[str, Field(max_length=100, description="检索词"), AfterValidator(no_nul)]
# A free JSON object from the request (stored in a JSONField): no NUL anywhere, not too deep.
CleanDict = Annotated[dict, AfterValidator(clean_json)]
# A database id in a query or path parameter.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class PageQuery(Schema):
    """分页参数."""

    page: int = Field(1, ge=1, le=MAX_PAGE, description="页码，从 1 开始")
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，1–{MAX_PAGE_SIZE}")


class ErrorOut(Schema):
    """错误说明."""

    detail: str = Field(..., description="中文说明")


class FieldError(Schema):
    field: str | None = Field(None, description="出错的字段")
    message: str = Field(..., description="中文说明")
    type: str | None = Field(None, description="错误类型（英文标识）")


# One entry of a full-process record (全过程记录条目, ``core.ledger``), and a page of them: the
# shape of every record endpoint (a case's record, the supervision office's audit view). No
# docstring: it would become the OpenAPI description.
class RecordEntryOut(Schema):
    seq: int
    at: dt.datetime
    actor_name: str
    action: str
    payload: dict
    algorithm: str
    previous_hash: str
    hash: str


class RecordPage(Schema):
    items: list[RecordEntryOut]
    count: int
    page: int
    page_size: int


class ValidationErrorOut(Schema):
    """输入有误（422）: 每个出错字段一条中文说明."""

    detail: str
    errors: list[FieldError]


def order_by(queryset: QuerySet, sort: str | None, fields: Mapping[str, Sequence[str]], default: str) -> QuerySet:
    """Order by the whitelisted key ``sort`` (``name`` or ``-name``), with ``id`` last so pages
    never overlap. ``fields`` maps a key to model fields; a ``-`` prefix reverses all of them."""
    key = sort or default
    descending = key.startswith("-")
    columns = list(fields[key.lstrip("-")])
    if descending:
        columns = [c[1:] if c.startswith("-") else f"-{c}" for c in columns]
    tiebreak = "-id" if descending else "id"
    return queryset.order_by(*columns, tiebreak)


def choice_of(choices) -> Any:
    """A ``Literal`` of a Django ``TextChoices``' values: inlined in OpenAPI (enum names like
    ``Kind`` or ``Status`` would collide between apps), and a 422 for anything else."""
    return Literal[tuple(choices.values)]


def sort_choices(fields: Iterable[str]) -> tuple[str, ...]:
    """``("name", "-name", …)`` for a ``Literal`` sort whitelist."""
    return tuple(v for f in fields for v in (f, f"-{f}"))


def paginate(queryset: QuerySet, params: PageQuery) -> dict[str, Any]:
    """One COUNT and one SELECT for the page, whatever the page size.

    Returns the envelope with ``items`` as a list of model instances for the caller to shape.
    """
    count = queryset.count()
    start = (params.page - 1) * params.page_size
    items = list(queryset[start:start + params.page_size]) if start < count else []
    return {"items": items, "count": count, "page": params.page, "page_size": params.page_size}


@dataclass(frozen=True)
class Paging:
    """A page request outside the API (the portal, ``public.py``): ``page`` from 1 and
    ``page_size``, both clamped to what ``PageQuery`` accepts."""

    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    def __post_init__(self):
        object.__setattr__(self, "page", max(1, min(int(self.page), MAX_PAGE)))
        object.__setattr__(self, "page_size", max(1, min(int(self.page_size), MAX_PAGE_SIZE)))


def page_of(queryset: QuerySet, params, shape: Callable[[Any], Any]) -> dict[str, Any]:
    """``paginate`` with each row shaped by ``shape`` (plain dicts for the public views):
    still one COUNT and one SELECT."""
    envelope = paginate(queryset, params)
    envelope["items"] = [shape(row) for row in envelope["items"]]
    return envelope
