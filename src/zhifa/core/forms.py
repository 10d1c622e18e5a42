"""Form pieces shared by every app's pages, and the adapter that builds a page's form from a use
case's typed input (输入模型, ``inputs.py``).

The input schema (pydantic) is written once: the API takes it as its body, and ``schema_form``
turns it into a Django form class whose fields, labels (``Field(title=…)``), help texts
(``Field(description=…)``), bounds and required marks come from it. The form parses what the
browser sends into plain values and validates them *through the schema*, so the page shows the
same Chinese message as the API's 422 for the same bad value, next to the field. What only the
page knows (a picker's choices, a textarea's rows, the label of a literal value) is an ``Entry``
beside the field in the schema's ``Annotated`` metadata, which the API and its JSON schema ignore.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Literal

import pydantic
from django import forms
from pydantic.fields import FieldInfo


def mark(field: forms.Field, css: str) -> forms.Field:
    """A layout hint read by ``partials/field.html`` (``grow`` = a wide box, ``wide`` = a full row)."""
    if css:
        field.css = css
    return field


class DateInput(forms.DateInput):
    """An HTML ``<input type="date">`` (ISO dates, the browser's date picker)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


# --- Chinese messages for schema errors (the API's 422 and the pages) ---------------------------

ERROR_MESSAGES = {
    "missing": "必填项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "int_parsing_size": "数值过大",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_max_digits": "数字位数过多",
    "decimal_max_places": "小数位数过多",
    "decimal_whole_digits": "整数部分位数过多",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "finite_number": "应为有限的数字",
    "string_type": "应为文本",
    "string_unicode": "应为文本",
    "string_too_long": "内容过长",
    "string_too_short": "内容过短",
    "string_pattern_mismatch": "格式不正确",
    "bool_parsing": "应为是/否",
    "bool_type": "应为是/否",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "greater_than": "数值过小",
    "less_than": "数值过大",
    "multiple_of": "数值不符合要求",
    "enum": "取值不在允许范围内",
    "literal_error": "取值不在允许范围内",
    "union_tag_invalid": "取值不在允许范围内",
    "list_type": "应为列表",
    "tuple_type": "应为列表",
    "set_type": "应为列表",
    "too_long": "条目过多",
    "too_short": "条目过少",
    "date_future": "应为将来的日期",
    "date_past": "应为过去的日期",
    "datetime_parsing": "应为日期时间（ISO 8601）",
    "datetime_type": "应为日期时间（ISO 8601）",
    "datetime_from_date_parsing": "应为日期时间（ISO 8601）",
    "extra_forbidden": "不允许的字段",
    "is_instance_of": "类型不正确",
    "json_invalid": "请求体不是合法的 JSON",
    "json_type": "请求体不是合法的 JSON",
    "model_attributes_type": "请求体格式不正确",
    "dict_type": "请求体格式不正确",
    "model_type": "请求体格式不正确",
}


def _chinese(message: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in message)


def error_message(error: dict) -> str:
    """One pydantic error in Chinese: the bound it broke, else its type's message, else the
    validator's own message if that is Chinese (never pydantic's English)."""
    ctx = error.get("ctx") or {}
    if "ge" in ctx:
        return f"不得小于{ctx['ge']}"
    if "le" in ctx:
        return f"不得大于{ctx['le']}"
    if "max_length" in ctx and error.get("type") == "too_long":
        return f"最多{ctx['max_length']}项"
    message = ERROR_MESSAGES.get(error.get("type", ""))
    if message is None:
        own = str(error.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        message = own if _chinese(own) else "输入不正确"
    return message


# --- How a schema field is entered on a page ------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """Page-only metadata of a schema field (录入方式), put in its ``Annotated[…]``.

    ``name``: the form field's name when it differs from the schema's (``officers`` for
    ``officer_ids``); ``label``/``help``: when the schema's title/description must stay out of a
    published JSON schema (``help=""``: no help under the field); ``required``: the page
    requires what the service would otherwise refuse (``REASON_REQUIRED`` …);
    ``choices``: labels of a literal's values, or the choices offered for a text or a list;
    ``radio``: choices as radio buttons; ``picker``: the name of a queryset the page supplies
    (``SchemaForm.picker``), whose chosen object's ``key`` is the value; ``empty``: the picker's
    empty choice (``None``: none); ``entry``: how a list is typed in one box — ``"lines"``,
    ``"commas"`` or a function of the text; ``checks``: a ``dict[str, bool]`` as one checkbox per
    key (``check_<key>``); ``initial``: a function of the page's context (the case) giving the
    value shown first; ``hidden``: not on the page (the default applies). A schema's
    ``page_files`` (name → ``Entry``) are uploads the page sends to the service beside the
    schema's values."""

    name: str = ""
    label: str = ""
    help: str | None = None
    required: bool | None = None
    rows: int = 3
    css: str = ""
    choices: tuple | list | dict | None = None
    radio: bool = False
    picker: str = ""
    key: str = "pk"
    empty: str | None = "请选择"
    entry: str | Callable[[str], list] = ""
    checks: dict[str, str] | None = None
    initial: Callable[[Any], Any] | None = None
    hidden: bool = False


NO_ENTRY = Entry()


@dataclass
class Slot:
    """One schema field as placed on the form: its names, its type and how it is entered."""

    schema_name: str
    form_name: str
    kind: str  # text | int | decimal | date | bool | choice | multi | pick | picks | list | checks | file
    entry: Entry
    info: FieldInfo | None
    bounds: dict = field(default_factory=dict)


def _entry(info: FieldInfo) -> Entry:
    """The field's entries merged: a later one (on the field) overrides an earlier one (on its type)."""
    merged: dict = {}
    for item in info.metadata:
        if isinstance(item, Entry):
            merged.update({f.name: getattr(item, f.name) for f in dataclasses.fields(Entry)
                           if getattr(item, f.name) != f.default})
    return Entry(**merged) if merged else NO_ENTRY


def _bounds(annotation, metadata=()) -> dict:
    """The bounds (max_length, ge, le) in a field's metadata and in its type's nested Annotated."""
    found: dict = {}
    nested = typing.get_args(annotation) if typing.get_origin(annotation) is typing.Annotated else ()
    items = [*metadata, *nested]
    for item in items:
        if isinstance(item, FieldInfo):
            found.update(_bounds(None, item.metadata))
        for name in ("max_length", "min_length", "ge", "le"):
            value = getattr(item, name, None)
            if value is not None and not isinstance(item, type):
                found.setdefault(name, value)
    return found


def _strip(annotation):
    """The type under ``Optional`` and ``Annotated`` (with the Annotated bounds collected)."""
    bounds: dict = {}
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            bounds.update(_bounds(annotation))
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation, bounds


def _kind(annotation, entry: Entry) -> str:
    base, _ = _strip(annotation)
    origin = typing.get_origin(base)
    if entry.checks is not None:
        return "checks"
    if entry.picker:
        return "picks" if origin is list else "pick"
    if origin is Literal or (entry.choices is not None and origin is not list):
        return "choice"
    if origin is list:
        return "multi" if entry.choices is not None else "list"
    if base is bool:
        return "choice" if entry.choices is not None else "bool"
    return {int: "int", Decimal: "decimal", dt.date: "date"}.get(base, "text")


def plan(schema: type[pydantic.BaseModel]) -> list[Slot]:
    """The schema's fields in order, each with its form name, kind and entry; then the page-only
    file fields declared in the schema's ``page_files``."""
    slots = []
    for name, info in schema.model_fields.items():
        entry = _entry(info)
        if entry.hidden:
            continue
        bounds = _bounds(None, info.metadata)
        bounds.update({k: v for k, v in _strip(info.annotation)[1].items() if k not in bounds})
        slots.append(Slot(name, entry.name or name, _kind(info.annotation, entry), entry, info, bounds))
    for name, entry in getattr(schema, "page_files", {}).items():
        slots.append(Slot(name, name, "file", entry, None))
    return slots


def _choices(slot: Slot) -> list[tuple[str, str]]:
    labels = slot.entry.choices
    if isinstance(labels, dict):
        labels = list(labels.items())
    base, _ = _strip(slot.info.annotation)
    if typing.get_origin(base) is Literal:
        values = [str(v) for v in typing.get_args(base)]
        named = dict(labels or [])
        ordered = [(str(v), lbl) for v, lbl in (labels or []) if str(v) in values]
        return ordered + [(v, v) for v in values if v not in named]
    return [(str(v), lbl) for v, lbl in labels or []]


class PickOne(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return self.label_of(obj) if getattr(self, "label_of", None) else str(obj)


class PickMany(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj) -> str:
        return self.label_of(obj) if getattr(self, "label_of", None) else str(obj)


def _text_field(slot: Slot, common: dict) -> forms.Field:
    limit = None if slot.kind == "list" else slot.bounds.get("max_length")  # a list's bound counts its items
    if slot.kind == "list" or limit is None or limit > 200:
        widget = forms.Textarea(attrs={"rows": slot.entry.rows, **({"maxlength": limit} if limit else {})})
        return mark(forms.CharField(widget=widget, **common), slot.entry.css or "wide")
    return forms.CharField(widget=forms.TextInput(attrs={"maxlength": limit}), **common)


def _number_attrs(slot: Slot, **extra) -> dict:
    attrs = {k: v for k, v in (("min", slot.bounds.get("ge")), ("max", slot.bounds.get("le"))) if v is not None}
    return {**attrs, **extra}


def form_field(slot: Slot) -> forms.Field:
    """The Django field that takes one slot's value as the browser sends it (parsing and bounds
    are the schema's: the field only keeps the raw value and the page's required mark)."""
    info, entry = slot.info, slot.entry
    label = entry.label or (info.title if info else "") or slot.form_name
    help_text = entry.help if entry.help is not None else (info.description if info else "") or ""
    required = entry.required if entry.required is not None else bool(info and info.is_required())
    common = {"label": label, "help_text": help_text, "required": required}
    if slot.kind == "file":
        return mark(forms.FileField(**common), entry.css or "wide")
    if slot.kind == "checks":
        return None  # expanded by SchemaForm into one checkbox per key
    if slot.kind == "pick":  # the queryset comes from SchemaForm.picker
        return mark(PickOne(queryset=None, empty_label=entry.empty, **common), entry.css)
    if slot.kind == "picks":
        return mark(PickMany(queryset=None, **common), entry.css or "wide")
    if slot.kind == "bool":
        return mark(forms.BooleanField(**{**common, "required": False}), entry.css)
    if slot.kind == "choice":
        if entry.required is None and typing.get_origin(_strip(info.annotation)[0]) is Literal:
            common["required"] = info.default is not None  # a select with a default always has a value
        widget = forms.RadioSelect if entry.radio else forms.Select
        return mark(forms.ChoiceField(choices=_choices(slot), widget=widget, **common), entry.css)
    if slot.kind == "multi":
        return mark(forms.MultipleChoiceField(choices=_choices(slot), widget=forms.CheckboxSelectMultiple, **common),
                    entry.css or "wide")
    if slot.kind == "int":
        return forms.CharField(widget=forms.NumberInput(attrs=_number_attrs(slot)), **common)
    if slot.kind == "decimal":
        return forms.CharField(widget=forms.NumberInput(attrs=_number_attrs(slot, step="0.01")), **common)
    if slot.kind == "date":
        return forms.CharField(widget=DateInput(), **common)
    if slot.kind == "list" and entry.entry == "commas":
        return forms.CharField(widget=forms.TextInput(), **common)
    return _text_field(slot, common)


def _split(text: str, how) -> list:
    if callable(how):
        return how(text or "")
    if how == "commas":
        return [p.strip() for p in (text or "").replace("，", ",").replace("、", ",").split(",") if p.strip()]
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class SchemaForm(forms.Form):
    """A form built from an input schema by ``schema_form``. ``validated`` is the schema instance
    once ``is_valid()``; ``service_kwargs()`` the values for the use case (the schema's dump plus
    page-only files). Subclasses supply the pickers' querysets (``picker``) and the initial values'
    context (``context``)."""

    schema: ClassVar[type[pydantic.BaseModel]]
    slots: ClassVar[list[Slot]]
    confirm: ClassVar[str] = ""
    multipart: ClassVar[bool] = False
    context: Any = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validated: pydantic.BaseModel | None = None
        for slot in self.slots:
            if slot.kind == "checks":
                self._add_checks(slot)
                continue
            formfield = self.fields[slot.form_name]
            if slot.kind in ("pick", "picks"):
                formfield.queryset, formfield.label_of = self.picker(slot.entry.picker)
            if slot.entry.initial is not None:
                formfield.initial = slot.entry.initial(self.context)
            elif slot.info is not None and not slot.info.is_required() and slot.kind not in ("pick", "picks", "file"):
                default = slot.info.get_default()
                if default not in (None, "", [], {}) and not isinstance(default, bool):
                    formfield.initial = default
                elif default is True:
                    formfield.initial = "1" if slot.kind == "choice" else True

    def _add_checks(self, slot: Slot) -> None:
        for key, label in slot.entry.checks.items():
            self.fields[f"check_{key}"] = mark(forms.BooleanField(label=label, required=False), "wide")

    def picker(self, name: str):
        """The queryset and the label function of the picker ``name`` (subclasses)."""
        raise KeyError(name)

    def _value(self, slot: Slot, data: dict):
        """The raw value of one slot for the schema (``_MISSING`` to leave its default)."""
        if slot.kind == "checks":
            return {key: bool(data.get(f"check_{key}")) for key in slot.entry.checks}
        value = data.get(slot.form_name)
        if slot.kind == "pick":
            return _MISSING if value is None else getattr(value, slot.entry.key)
        if slot.kind == "picks":
            return [getattr(o, slot.entry.key) for o in value or []]
        if slot.kind == "bool":
            return bool(value)
        if slot.kind == "list":
            return _split(value, slot.entry.entry or "lines")
        if slot.kind == "multi":
            return list(value or [])
        if slot.kind == "choice" and _strip(slot.info.annotation)[0] is bool:
            return _MISSING if value in (None, "") else value in ("1", "True", "true", "on")
        if value in (None, "") and slot.kind != "text":
            return _MISSING
        return value

    def clean(self):
        data = super().clean()
        values = {}
        for slot in self.slots:
            if slot.kind == "file" or (slot.kind != "checks" and slot.form_name in self.errors):
                continue
            value = self._value(slot, data)
            if value is not _MISSING:
                values[slot.schema_name] = value
        try:
            self.validated = self.schema.model_validate(values)
        except pydantic.ValidationError as exc:
            self._show(exc)
        return data

    def _show(self, exc: pydantic.ValidationError) -> None:
        """Each schema error next to its field (once per field), in the API's Chinese."""
        names = {s.schema_name: s.form_name for s in self.slots}
        for error in exc.errors(include_url=False, include_context=False):  # as the API reports them
            first = str(error["loc"][0]) if error.get("loc") else ""
            target = names.get(first)
            if target in self.fields:
                if target not in self.errors:
                    self.add_error(target, error_message(error))
            else:
                label = self.schema.model_fields[first].title if first in self.schema.model_fields else ""
                self.add_error(None, f"{label or first}：{error_message(error)}" if first else error_message(error))

    def service_kwargs(self) -> dict:
        values = self.validated.model_dump()
        for slot in self.slots:
            if slot.kind == "file":
                values[slot.schema_name] = self.cleaned_data.get(slot.form_name)
        return values


_MISSING = object()


def schema_form(schema: type[pydantic.BaseModel], base: type[SchemaForm] = SchemaForm, *, order=None) -> type[SchemaForm]:
    """A form class for ``schema`` (one field per schema field, in the schema's order or ``order``)."""
    slots = plan(schema)
    attrs: dict[str, Any] = {"schema": schema, "slots": slots, "confirm": getattr(schema, "page_confirm", ""),
                             "multipart": any(s.kind == "file" for s in slots), "__module__": base.__module__}
    for slot in slots:
        formfield = form_field(slot)
        if formfield is not None:
            attrs[slot.form_name] = formfield
    if order:
        attrs["field_order"] = order
    return type(f"{schema.__name__}Form", (base,), attrs)
