"""Documents admin: read-only lists for the administrator. Documents are issued, voided and
re-issued only through ``services`` (the case workflow), never edited here."""
from django.contrib import admin

from zhifa.core.admin import ReadOnlyAdmin

from . import models


class FilesFilter(admin.SimpleListFilter):
    """生成状态: the documents whose files are still to be rendered (生成中), for the administrator
    to see what the worker has not done; failed attempts are listed under the task results."""

    title = "文件生成状态"
    parameter_name = "files"

    def lookups(self, request, model_admin):
        return [("pending", "生成中"), ("rendered", "已生成")]

    def queryset(self, request, queryset):
        from .services import pending_documents

        pending = pending_documents().values("pk")
        if self.value() == "pending":
            return queryset.filter(pk__in=pending)
        if self.value() == "rendered":
            return queryset.exclude(pk__in=pending)
        return queryset


@admin.register(models.Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "version", "title", "body", "status", "files_state", "issued_on", "subject"]
    list_filter = [FilesFilter, "status", "kind", "year"]
    search_fields = ["number", "title", "subject"]
    list_select_related = ["body"]
    date_hierarchy = "issued_on"
    readonly_fields = [f.name for f in models.Document._meta.fields]

    @admin.display(description="文件")
    def files_state(self, obj):
        from .services import is_rendered

        return "已生成" if is_rendered(obj) else "生成中"


@admin.register(models.DocumentCounter)
class DocumentCounterAdmin(ReadOnlyAdmin):
    list_display = ["body", "kind", "year", "last_seq"]
    list_filter = ["year", "kind"]
    list_select_related = ["body"]
    readonly_fields = ["body", "kind", "year", "last_seq"]
