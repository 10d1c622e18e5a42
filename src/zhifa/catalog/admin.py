"""Catalog admin: enforcement items and their legal basis, laws and their articles (R09).

Law texts come from ``zhifa load_laws``; an administrator corrects dates (施行 / 失效), the
issuing organ, or adds a link from an item to an article by hand (links without 原文引用 survive a
re-link)."""
from django.contrib import admin
from django.db.models import Count

from . import models


class ItemProvisionInline(admin.TabularInline):
    model = models.ItemProvision
    extra = 0
    fields = ["provision", "role", "paragraph", "cited_as"]
    autocomplete_fields = ["provision"]


@admin.register(models.Item)
class ItemAdmin(admin.ModelAdmin):
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
class LawAdmin(admin.ModelAdmin):
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
class ProvisionAdmin(admin.ModelAdmin):
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
