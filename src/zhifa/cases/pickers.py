"""Pickers of large sets that search as you type (可检索的选择器, issue 20 point 1).

The enforcement item of a registration is chosen from a few hundred items: the page shows a search
box whose results (20 a page) come from ``views_pickers.pick_items`` through htmx, and the chosen
item as a checked radio beside it. The query matches the code, the name and the pinyin initials of
the name (``wzjy`` finds 无证经营…), so an officer in the field types four letters instead of
scrolling. Pure helpers here; the scoped queryset is ``selectors.registrable_items``.
"""
from __future__ import annotations

import functools
import importlib.util
import re
import unicodedata
from pathlib import Path

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet

PER_PAGE = 20
ASCII_WORD = re.compile(r"^[A-Za-z]{2,20}$")
PINYIN_SCAN_LIMIT = 20_000  # beyond this many items the initials are not scanned (code and name still are)


@functools.cache
def _readings() -> dict[int, str]:
    """pypinyin's table of single characters (code point → readings, the common one first).

    Only that module is loaded, not the package: ``import pypinyin`` also loads its phrase
    dictionary, several seconds on a busy server for the first search of each process; initials
    need no phrases. (pypinyin, MIT licence, is a dependency for this table.)"""
    spec = importlib.util.find_spec("pypinyin")
    path = Path(spec.origin).with_name("pinyin_dict.py")
    if not path.is_file():  # an installation without sources: the package, phrases and all
        from pypinyin.pinyin_dict import pinyin_dict

        return pinyin_dict
    module_spec = importlib.util.spec_from_file_location("_zhifa_pinyin_dict", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module.pinyin_dict


@functools.lru_cache(maxsize=50_000)
def initials(text: str) -> str:
    """The pinyin initials of ``text`` in lower case (拼音首字母: 无证经营 → wzjy); Latin letters and
    digits are kept, other signs dropped. A character with several readings takes its common one
    (行 → x)."""
    table = _readings()
    letters = []
    for ch in text or "":
        if ch.isascii():
            if ch.isalnum():
                letters.append(ch.lower())
            continue
        reading = table.get(ord(ch))
        if reading:
            letters.append(unicodedata.normalize("NFD", reading)[0].lower())
    return "".join(letters)


def search(qs: QuerySet, text: str, *, name_field: str = "name", code_field: str = "code") -> QuerySet:
    """``qs`` narrowed to ``text``: code or name containing it, or — for a word of Latin letters —
    a name whose pinyin initials contain it. One query for the initials scan (ids and names only)."""
    text = (text or "").strip()[:60]
    if not text:
        return qs
    match = Q(**{f"{code_field}__icontains": text}) | Q(**{f"{name_field}__icontains": text})
    if ASCII_WORD.match(text):
        word = text.lower()
        rows = qs.values_list("pk", name_field)[:PINYIN_SCAN_LIMIT]
        ids = [pk for pk, name in rows if word in initials(name)]
        if ids:
            match |= Q(pk__in=ids)
    return qs.filter(match)


def page_of(qs: QuerySet, number) -> object:
    """One page of results (Paginator's page; a bad number gives the nearest page)."""
    return Paginator(qs, PER_PAGE).get_page(number)


def item_label(field: forms.ModelChoiceField):
    """``label_of`` for an item picker: "code full name" of the chosen item, looked up in the
    field's own (scoped) queryset at render time; empty for a value outside it."""

    def label_of(value) -> str:
        item = field.queryset.filter(pk=value).first() if str(value).isdigit() else None
        return f"{item.code} {item.full_name}" if item else ""

    return label_of


class SearchPick(forms.Widget):
    """A single choice from a large set: a search box, the results as radios (htmx), the chosen one
    kept checked above them. ``url`` answers the search; ``label_of(value)`` names the value."""

    template_name = "cases/widgets/search_pick.html"

    def __init__(self, url: str, label_of, placeholder: str = "输入编码、名称或拼音首字母检索", attrs=None):
        super().__init__(attrs)
        self.url, self.label_of, self.placeholder = url, label_of, placeholder

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        value = value[0] if isinstance(value, (list, tuple)) and value else value
        chosen = self.label_of(value) if value not in (None, "") else ""
        context["widget"].update({"url": self.url, "placeholder": self.placeholder, "chosen_value": value if chosen else "",
                                  "chosen_label": chosen})
        return context

    def id_for_label(self, id_):
        return f"{id_}_q" if id_ else id_

    def value_from_datadict(self, data, files, name):
        return data.get(name)
