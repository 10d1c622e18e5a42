"""Catalog admin: enforcement items and their legal basis, laws and their articles (R09).

Law texts come from ``zhifa load_laws``; an administrator corrects dates (施行 / 失效), the
issuing organ, or adds a link from an item to an article by hand (links without 原文引用 survive a
re-link)."""
from django.contrib import admin
from django.db.models import Count

from zhifa.core import citations
from zhifa.registry.admin import RecordedAdmin

from . import models, services


class CatalogAdmin(RecordedAdmin):
    """Saves and deletions of the catalogue recorded on its streams (``services.registers``)."""

    recorder = services


class ItemProvisionInline(admin.TabularInline):
    model = models.ItemProvision
    extra = 0
    fields = ["provision", "role", "paragraph", "cited_as"]
    autocomplete_fields = ["provision"]


@admin.register(models.Item)
class ItemAdmin(CatalogAdmin):
    list_display = ["code", "full_name", "kind", "body", "level", "version", "valid_from", "valid_to", "provision_count"]
    list_display_links = ["code", "full_name"]
    list_filter = ["kind", ("body", admin.RelatedOnlyFieldListFilter), "body__sector", "level"]
    search_fields = ["code", "name", "sub_name", "legal_basis", "body__name"]
    list_select_related = ["body"]
    autocomplete_fields = ["body", "supersedes"]
    date_hierarchy = "valid_from"
    list_per_page = 50
    inlines = [ItemProvisionInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "sub_name", "kind", "body", "handling_unit", "level"]}),
        ("实施依据（R09）", {"fields": ["legal_basis"]}),
        ("版本与效力", {"fields": ["version", "supersedes", "valid_from", "valid_to"]}),
        ("来源", {"fields": ["source", "source_seq"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_provisions=Count("item_provisions"))

    @admin.display(description="名称", ordering="name")
    def full_name(self, obj):
        return obj.full_name

    @admin.display(description="关联条款", ordering="_provisions")
    def provision_count(self, obj):
        return obj._provisions


@admin.register(models.Law)
class LawAdmin(CatalogAdmin):
    list_display = ["title", "level", "issuing_organ", "version_date", "effective_from", "repealed_on", "superseded_by", "provision_count"]
    list_filter = ["level", "issuing_organ"]
    search_fields = ["title", "short_title"]
    list_select_related = ["superseded_by"]
    autocomplete_fields = ["superseded_by"]
    readonly_fields = ["history", "source"]
    date_hierarchy = "effective_from"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_provisions=Count("provisions"))

    @admin.display(description="条数", ordering="_provisions")
    def provision_count(self, obj):
        return obj._provisions


@admin.register(models.Provision)
class ProvisionAdmin(CatalogAdmin):
    list_display = ["label", "law", "chapter", "short_text", "effective_from", "repealed_on"]
    list_filter = ["law__level", "law"]
    search_fields = ["law__title", "law__short_title", "label", "text"]
    list_select_related = ["law"]
    autocomplete_fields = ["law"]
    ordering = ["law__short_title", "law_id", "number", "sub_number"]
    list_per_page = 50

    @admin.display(description="条文")
    def short_text(self, obj):
        return obj.text if len(obj.text) <= 60 else obj.text[:60] + "……"


# --------------------------------------------------------------------------------------------
# Discretion benchmarks (R10) and the three lists (R11–R13). Thin: publishing goes through
# ``services.publish_benchmark`` (permission check, APL art.34 checks, end of the previous
# version), never by editing ``status`` here.
# --------------------------------------------------------------------------------------------

from django.contrib import messages  # noqa: E402
from django.core.exceptions import PermissionDenied  # noqa: E402
from django.http import Http404  # noqa: E402

from zhifa.core.violations import Refused  # noqa: E402
from zhifa.registry.access import actor_for  # noqa: E402

from . import services  # noqa: E402


class BenchmarkGradeInline(admin.TabularInline):
    model = models.BenchmarkGrade
    extra = 0
    fields = ["order", "name", "conditions", "penalty_kinds", "amount_basis", "basis_label", "amount_min", "amount_max",
              "confiscate_gains", "confiscate_property", "other_penalties"]


class FactorInline(admin.TabularInline):
    model = models.Factor
    extra = 0
    fields = ["kind", "code", "description", "effect", "mandatory", "citation"]


@admin.action(description=f"公布所选裁量基准（{citations.APL_ART34}）")
def publish_benchmarks(modeladmin, request, queryset):
    """Publish each selected draft through the service; report each refusal in Chinese."""
    actor = actor_for(request.user)
    published = 0
    for benchmark in queryset.select_related("item").order_by("pk"):
        try:
            services.publish_benchmark(benchmark.pk, actor=actor)
        except Refused as exc:
            reasons = "；".join(v.message for v in exc.violations)
            modeladmin.message_user(request, f"“{benchmark}”未公布：{reasons}", messages.ERROR)
        except (PermissionDenied, Http404) as exc:
            modeladmin.message_user(request, f"“{benchmark}”未公布：{exc}", messages.ERROR)
        else:
            published += 1
    if published:
        modeladmin.message_user(request, f"已公布 {published} 个裁量基准。", messages.SUCCESS)


@admin.register(models.Benchmark)
class BenchmarkAdmin(CatalogAdmin):
    list_display = ["item_code", "item", "version", "status", "body", "valid_from", "valid_to", "published_on", "grade_count"]
    list_display_links = ["item_code", "item"]
    list_filter = ["status", ("body", admin.RelatedOnlyFieldListFilter), "version"]
    search_fields = ["item__code", "item__name", "version", "title", "legal_basis"]
    list_select_related = ["item", "body"]
    autocomplete_fields = ["item", "body"]
    readonly_fields = ["status", "published_on"]
    date_hierarchy = "valid_from"
    list_per_page = 50
    inlines = [BenchmarkGradeInline, FactorInline]
    actions = [publish_benchmarks]
    fieldsets = [
        (None, {"fields": ["item", "body", "version", "status", "published_on", "valid_from", "valid_to", "title", "legal_basis"]}),
        ("法定幅度", {"fields": ["statutory_min", "statutory_max"]}),
        ("从轻、从重、减轻的幅度及依据", {"fields": [
            "lighter_fraction", "lighter_citation", "heavier_fraction", "heavier_citation",
            "mitigation_floor", "mitigation_citation", "multi_grade_citation", "raise_grade_citation",
        ], "classes": ["collapse"]}),
        ("来源", {"fields": ["source", "notes"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_grades=Count("grades"))

    @admin.display(description="事项编码", ordering="item__code")
    def item_code(self, obj):
        return obj.item.code

    @admin.display(description="档次数", ordering="_grades")
    def grade_count(self, obj):
        return obj._grades


@admin.register(models.Factor)
class FactorAdmin(CatalogAdmin):
    list_display = ["description", "kind", "effect", "mandatory", "benchmark", "citation"]
    list_filter = ["kind", "effect", "mandatory", ("benchmark__body", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "description", "citation", "benchmark__item__code", "benchmark__item__name"]
    list_select_related = ["benchmark__item"]
    autocomplete_fields = ["benchmark"]
    list_per_page = 50


@admin.register(models.ExemptionEntry)
class ExemptionEntryAdmin(CatalogAdmin):
    list_display = ["act", "kind", "body", "item", "requires_first_offence", "max_harm", "excluded_in_sensitive_area",
                    "valid_from", "valid_to", "is_published"]
    list_filter = ["kind", "is_published", "requires_first_offence", "excluded_in_sensitive_area",
                   ("body", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["act", "conditions", "violated", "citation", "item__code", "item__name"]
    list_select_related = ["body", "item"]
    autocomplete_fields = ["body", "item"]
    list_per_page = 50


@admin.register(models.LegalReviewRule)
class LegalReviewRuleAdmin(CatalogAdmin):
    list_display = ["description", "body", "item", "threshold_person", "threshold_organisation", "requires_hearing",
                    "trigger", "is_published"]
    list_filter = ["is_published", "requires_hearing", "trigger", ("body", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["description", "citation", "item__code", "item__name"]
    list_select_related = ["body", "item"]
    autocomplete_fields = ["body", "item"]
    list_per_page = 50


@admin.register(models.RecordingRule)
class RecordingRuleAdmin(CatalogAdmin):
    list_display = ["act_kind", "level", "body", "citation"]
    list_filter = ["level", "act_kind", ("body", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["citation", "body__name"]
    list_select_related = ["body"]
    autocomplete_fields = ["body"]
    list_per_page = 50


@admin.register(models.Delegation)
class DelegationAdmin(CatalogAdmin):
    """赋权与委托事项 (R03), moved here from the registry admin with the model."""

    list_display = ["kind", "from_body", "to_body", "item", "valid_from", "valid_to", "revoked_on"]
    list_filter = ["kind"]
    list_select_related = ["from_body", "to_body", "item"]
    autocomplete_fields = ["from_body", "to_body", "item"]
