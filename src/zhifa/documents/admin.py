"""Documents admin: read-only lists for the administrator. Documents are issued, voided and
re-issued only through ``services`` (the case workflow), never edited here."""
from django.contrib import admin

from zhifa.core.admin import ReadOnlyAdmin

from . import models


@admin.register(models.Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "version", "title", "body", "status", "issued_on", "subject"]
    list_filter = ["status", "kind", "year"]
    search_fields = ["number", "title", "subject"]
    list_select_related = ["body"]
    date_hierarchy = "issued_on"
    readonly_fields = [f.name for f in models.Document._meta.fields]


@admin.register(models.DocumentCounter)
class DocumentCounterAdmin(ReadOnlyAdmin):
    list_display = ["body", "kind", "year", "last_seq"]
    list_filter = ["year", "kind"]
    list_select_related = ["body"]
    readonly_fields = ["body", "kind", "year", "last_seq"]
