"""Staff page of a body's published lists (R11–R13): the no-penalty / light-penalty list
(免罚轻罚清单), the major-decision legal-review list (重大执法决定法制审核清单) and the audio-video
recording catalogue (音像记录事项目录). Thin: the form parses, ``discretion`` scopes the rows
through ``access``, the template renders; 50 a page, a fixed number of queries."""
from __future__ import annotations

import html
import re

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from zhifa.registry import access
from zhifa.registry.access import request_actor
from zhifa.registry.forms import ANY, BodyChoiceField, SearchInput
from zhifa.registry.models import Body
from zhifa.core.listing import paginate, render_list

from zhifa.core import citations

from . import discretion
from . import rules as r
from .models import RecordingRule

LIST_CHOICES = [
    ("exemption", "免罚轻罚清单"),
    ("review", "重大执法决定法制审核清单"),
    ("recording", "音像记录事项目录"),
]
LIST_BASIS = {
    "exemption": f"R11；{citations.APL_TITLE}第三十三条",
    "review": f"R12；{citations.APL_ART58_FULL}；国办发〔2018〕118号",
    "recording": "R13；国办发〔2018〕118号",
}


# Markup of the published sources that an import may have kept in legal text: a VuePress
# ``<Badge text="已废止" type="note" />`` (a repealed law), ``<br>``, HTML entities (``&emsp;``).
_BADGE = re.compile(r"<Badge\b[^>]*?\btext\s*=\s*[\"']([^\"']*)[\"'][^>]*>(?:\s*</Badge\s*>)?", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")


def legal_text(text: str, limit: int = 120) -> SafeString:
    """Legal text (违反条款) for the page: a ``<Badge text="…">`` becomes a badge of that text,
    any other tag is dropped, entities are decoded, and everything else is escaped — no markup
    of the source ever shows, none runs. At most ``limit`` characters (badges counted, never
    cut), the last one "…" when the text is longer — as ``truncatechars`` did."""
    pieces = _BADGE.split(text or "")  # text, badge, text, badge … text
    for index in range(0, len(pieces), 2):
        pieces[index] = re.sub(r"[ \t\u2003\u00a0]+", " ", html.unescape(_TAG.sub("", pieces[index])))
    cut = sum(map(len, pieces)) > limit
    out, left = [], limit - 1 if cut else limit
    for index, piece in enumerate(pieces):
        if index % 2 and len(piece) > left:
            break  # a badge is shown whole or not at all
        piece = piece[:left]
        left -= len(piece)
        if piece:
            out.append(format_html('<span class="badge badge-warn">{}</span>', piece) if index % 2 else format_html("{}", piece))
    if cut:
        out.append("…")
    return mark_safe("".join(out))


class ListFilterForm(forms.Form):
    """筛选清单."""

    list = forms.ChoiceField(label="清单", choices=LIST_CHOICES, required=False)
    body = BodyChoiceField(label="制定主体", queryset=Body.objects.none(), required=False, empty_label="全部")
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=SearchInput(attrs={"placeholder": "违法行为、情形、事项或依据"}))
    kind = forms.ChoiceField(label="类别（免罚轻罚清单）", required=False,
                             choices=ANY + [(k.value, k.label) for k in r.ExemptionKind])

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].css = "grow"
        self.fields["body"].queryset = bodies if bodies is not None else Body.objects.none()


@login_required
def lists(request: HttpRequest) -> HttpResponse:
    """清单公示: one of the three lists, of one body or of every visible body."""
    actor = request_actor(request)
    bodies = access.visible_bodies(actor).filter(is_active=True).order_by("jurisdiction__path", "code")
    form = ListFilterForm(request.GET, bodies=bodies)
    form.is_valid()
    data = form.cleaned_data
    which = data.get("list") or "exemption"
    body = data.get("body")
    body_id = body.pk if body else None
    q = (data.get("q") or "").strip()
    if which == "exemption":
        qs = discretion.exemption_entries(actor, body_id=body_id)
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if q:
            qs = qs.filter(Q(act__icontains=q) | Q(conditions__icontains=q) | Q(violated__icontains=q)
                           | Q(item__name__icontains=q) | Q(item__code__icontains=q))
    elif which == "review":
        qs = discretion.legal_review_rules(actor, body_id=body_id)
        if q:
            qs = qs.filter(Q(description__icontains=q) | Q(citation__icontains=q) | Q(item__name__icontains=q))
    else:
        scope = bodies.filter(pk=body_id) if body_id else bodies
        qs = RecordingRule.objects.select_related("body").filter(Q(body__isnull=True) | Q(body__in=scope.values("pk")))
        if q:
            codes = [k for k, label in r.ACT_KIND_LABELS.items() if q in label]
            qs = qs.filter(Q(citation__icontains=q) | Q(act_kind__in=codes))
        qs = qs.order_by("body_id", "-level", "act_kind")
    page = paginate(request, qs)
    if which == "exemption":
        page.object_list = list(page.object_list)
        for entry in page.object_list:
            entry.violated_display = legal_text(entry.violated)
    context = {
        "form": form, "page": page, "which": which, "which_label": dict(LIST_CHOICES)[which], "body": body,
        "basis": LIST_BASIS[which], "statutory_review": r.STATUTORY_REVIEW_RULES, "nav": "lists",
    }
    return render_list(request, "catalog/lists.html", "catalog/_lists_table.html", context)
