"""Cases in the admin: read-only (a case changes only through its services, with its record)."""
from django.contrib import admin

from zhifa.core.admin import ReadOnlyAdmin

from .models import Case, Decision, Evidence, Hearing, LegalReview, Notice, Pause, Payment, Seizure, ServiceRecord


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


def _inline(model_):
    return type(f"{model_.__name__}Inline", (ReadOnlyInline,), {"model": model_})


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("number", "party_name", "body", "procedure", "state", "filed_on", "decided_on")
    list_filter = ("state", "procedure", "body")
    search_fields = ("number", "party_name", "party_id_code")
    list_select_related = ("body",)
    inlines = [_inline(m) for m in (Notice, LegalReview, Hearing, Decision, ServiceRecord, Payment, Seizure, Pause, Evidence)]
