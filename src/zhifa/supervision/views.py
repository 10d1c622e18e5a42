"""The records audit pages (全过程记录查阅): ``/supervision/records/`` lists the streams in the
supervisor's scope (filter by kind and key, 50 a page); a stream's page shows its entries with
the chain verified. Staff and the public are refused (403)."""
from __future__ import annotations

import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhifa.core import ledger
from zhifa.core.listing import paginate, render_list
from zhifa.registry.access import request_actor

from . import selectors


class StreamFilterForm(forms.Form):
    kind = forms.ChoiceField(label="记录类别", required=False)
    key = forms.CharField(label="对象编号", required=False, max_length=64,
                          widget=forms.TextInput(attrs={"type": "search", "placeholder": "如 42、SJJ-CF-001"}))

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "全部")] + [(k, f"{selectors.KIND_LABELS.get(k, k)}（{k}）") for k in kinds]


PAYLOAD_VALUE_CHARS = 300


def payload_lines(payload) -> list[tuple[str, str]]:
    """An entry's content as ``(field, value)`` lines a reader can scan — the Chinese ``label``
    is shown as the act's name instead; lists and objects as compact JSON, long values cut."""
    if not isinstance(payload, dict):
        return [("", json.dumps(payload, ensure_ascii=False))]
    lines = []
    for key, value in payload.items():
        if key == "label":
            continue
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        lines.append((key, text if len(text) <= PAYLOAD_VALUE_CHARS else text[:PAYLOAD_VALUE_CHARS - 1] + "…"))
    return lines


def _reader(request: HttpRequest):
    actor = request_actor(request)
    if not selectors.may_read_records(actor):
        raise PermissionDenied(selectors.REFUSED)
    return actor


@login_required
def records(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    form = StreamFilterForm(request.GET, kinds=selectors.stream_kinds(actor))
    form.is_valid()
    data = form.cleaned_data
    rows = selectors.streams(actor, selectors.StreamFilters(kind=data.get("kind") or "", key=data.get("key") or ""))
    page = paginate(request, rows)
    for row in page.object_list:
        row["kind_label"] = selectors.KIND_LABELS.get(row["stream"].split(":", 1)[0], "")
    context = {"form": form, "page": page, "nav": "records"}
    return render_list(request, "supervision/records.html", "supervision/_streams_table.html", context)


@login_required
def stream(request: HttpRequest, stream: str) -> HttpResponse:
    actor = _reader(request)
    entries = selectors.stream_entries(actor, stream)
    broken = ledger.verify(stream)
    page = paginate(request, entries)
    for entry in page.object_list:
        entry.label = entry.payload.get("label", "") if isinstance(entry.payload, dict) else ""
        entry.lines = payload_lines(entry.payload)
    context = {"stream": stream, "kind_label": selectors.KIND_LABELS.get(stream.split(":", 1)[0], ""),
               "page": page, "broken": broken, "nav": "records"}
    return render(request, "supervision/stream.html", context)
