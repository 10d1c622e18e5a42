"""Staff pages of discretion (R10, R11): pick an item with a published benchmark, fill in the
facts, see the outcome, the range and the reasoning (说理) to quote in a decision. Thin: the form
parses, ``discretion.assess_item`` decides, the template renders."""
from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from zhifa.core import clock
from zhifa.registry.access import request_actor
from zhifa.core.listing import paginate

from . import discretion
from . import rules as r
from .models import Benchmark


class AssessForm(forms.Form):
    """违法事实与裁量情节."""

    act_date = forms.DateField(label="违法行为发生日期", widget=forms.DateInput(attrs={"type": "date"}),
                               help_text="持续或者连续的违法行为，填终了之日")
    party_kind = forms.ChoiceField(label="当事人类型", choices=[(k.value, k.label) for k in r.PartyKind],
                                   initial=r.PartyKind.ORGANISATION.value)
    age = forms.IntegerField(label="自然人违法时年龄（周岁）", required=False, min_value=0, max_value=130)
    grades = forms.MultipleChoiceField(label="符合的裁量档次", required=False, widget=forms.CheckboxSelectMultiple,
                                       help_text="同时符合多个档次的，按较重档次裁量")
    factors = forms.MultipleChoiceField(label="裁量情节", required=False, widget=forms.CheckboxSelectMultiple)
    illegal_gains = forms.DecimalField(label="违法所得（元）", required=False, min_value=0, max_digits=16, decimal_places=2)
    goods_value = forms.DecimalField(label="货值金额（元）", required=False, min_value=0, max_digits=16, decimal_places=2)
    base_amount = forms.DecimalField(label="其他计罚基数（元）", required=False, min_value=0, max_digits=16, decimal_places=2,
                                     help_text="如建设项目总投资额、所收费用、直接损失")
    harm = forms.ChoiceField(label="危害后果", choices=[(h.value, h.label) for h in r.Harm], initial=r.Harm.ORDINARY.value)
    first_offence = forms.BooleanField(label="初次违法", required=False)
    corrected_promptly = forms.BooleanField(label="及时改正", required=False)
    minor = forms.BooleanField(label="违法行为轻微", required=False)
    no_fault_proven = forms.BooleanField(label="当事人有证据足以证明没有主观过错", required=False)
    mental_illness = forms.BooleanField(label="违法时不能辨认或者不能控制自己行为（精神病人、智力残疾人）", required=False)
    sensitive_area = forms.BooleanField(label="发生在生态环境敏感区", required=False)
    prefer_mitigation = forms.BooleanField(label="依法可以从轻或者减轻时，选择减轻处罚", required=False)

    def __init__(self, *args, benchmark: Benchmark | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        grades = list(benchmark.grades.all()) if benchmark else []
        self.fields["grades"].choices = [(str(g.order), f"{g.name}：{g.conditions or '—'}") for g in grades]
        own = [(f.code, f"{f.description}（{r.Effect(f.effect).label}；{f.citation}）") for f in (benchmark.factors.all() if benchmark else [])]
        law = [(f.code, f"{f.description}（{f.effect.label}；{f.citation}）") for f in r.LAW_FACTORS]
        self.fields["factors"].choices = own + law

    def clean(self):
        data = super().clean()
        if data.get("age") is not None and data.get("party_kind") != r.PartyKind.PERSON.value:
            self.add_error("age", "只有自然人才填写年龄")
        return data

    def to_facts(self, code: str) -> r.Facts:
        d = self.cleaned_data
        return r.Facts(
            item_code=code, act_date=d["act_date"], party_kind=r.PartyKind(d["party_kind"]), age=d.get("age"),
            mental_illness=d.get("mental_illness", False), illegal_gains=d.get("illegal_gains"),
            goods_value=d.get("goods_value"), base_amount=d.get("base_amount"),
            grades=tuple(int(x) for x in d.get("grades") or ()), factors=tuple(d.get("factors") or ()),
            first_offence=d.get("first_offence", False), harm=r.Harm(d["harm"]),
            corrected_promptly=d.get("corrected_promptly", False), minor=d.get("minor", False),
            no_fault_proven=d.get("no_fault_proven", False), sensitive_area=d.get("sensitive_area", False),
            prefer_mitigation=d.get("prefer_mitigation", False),
        )


@login_required
def assess_index(request: HttpRequest) -> HttpResponse:
    """裁量计算: the items with a published benchmark in force today, searchable, 50 a page."""
    actor = request_actor(request)
    today = clock.today()
    published = discretion.in_force(Benchmark.objects.filter(item=OuterRef("pk"), status=Benchmark.Status.PUBLISHED), today)
    qs = discretion.visible_items(actor).filter(Exists(published))
    q = (request.GET.get("q") or "").strip()[:100]
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(sub_name__icontains=q) | Q(code__icontains=q))
    page = paginate(request, qs.order_by("body_id", "code"))
    return render(request, "catalog/assess_index.html", {"page": page, "q": q, "nav": "assess"})


@login_required
def assess_item(request: HttpRequest, code: str) -> HttpResponse:
    """One item: the benchmark in force, the facts form and, after submitting, the outcome, the
    penalty kinds and range, and the reasoning."""
    actor = request_actor(request)
    item = discretion.visible_items(actor).filter(code=code[:40]).first()
    if item is None:
        raise Http404("未找到该执法事项，或您无权查看。")
    benchmark = discretion.applicable_benchmark(item, clock.today())
    result = None
    error = ""
    if request.method == "POST":
        form = AssessForm(request.POST, benchmark=benchmark)
        if form.is_valid():
            try:
                result = discretion.assess_item(item.code, form.to_facts(item.code), actor=actor)
            except r.FactsError as exc:
                for field, message in exc.errors:
                    form.add_error(field if field in form.fields else None, message)
            except Http404 as exc:
                error = str(exc) or "该事项在违法行为发生之日没有已公布施行的裁量基准。"
    else:
        form = AssessForm(initial={"act_date": clock.today()}, benchmark=benchmark)
    context = {"item": item, "benchmark": benchmark, "form": form, "result": result, "error": error, "nav": "assess"}
    return render(request, "catalog/assess.html", context)
