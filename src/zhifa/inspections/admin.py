"""Admin for the item list and the databases; draws and inspections are read-only here (they
change only through ``services``). What the admin changes goes through a use case that records it
(``services.registers``)."""
from django.contrib import admin

from zhifa.core.admin import ReadOnlyAdmin
from zhifa.registry import access

from .models import (
    ConflictDeclaration,
    Draw,
    Entity,
    Inspection,
    InspectionItem,
    InspectionPhoto,
    InspectorProfile,
    OfflineReceipt,
    OnsiteRecord,
    Plan,
    Task,
)
from .services import registers


class Recorded(admin.ModelAdmin):
    """Saves and deletes through ``services.registers``: every edit leaves its record entry."""

    def save_model(self, request, obj, form, change):
        registers.save_in_admin(obj, changed=list(form.changed_data), actor=access.request_actor(request))

    def delete_model(self, request, obj):
        registers.delete_in_admin(obj, actor=access.request_actor(request))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(InspectionItem)
class InspectionItemAdmin(Recorded):
    list_display = ("code", "name", "body", "method", "category", "ratio_percent", "rounds_per_year", "is_active")
    list_filter = ("category", "method", "is_active")
    search_fields = ("code", "name")
    raw_id_fields = ("item", "body")


@admin.register(Entity)
class EntityAdmin(Recorded):
    list_display = ("credit_code", "name", "kind", "industry", "township", "risk_grade", "credit_grade", "is_abnormal")
    list_filter = ("kind", "risk_grade", "is_abnormal")
    search_fields = ("credit_code", "name")
    raw_id_fields = ("township",)
    show_full_result_count = False

    # An entity is never deleted nor re-coded: published frozen lists name it by its credit code
    # and a committed draw writes its inspections by the entity ids kept beside its list.
    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ("credit_code",) if obj is not None else ()


@admin.register(InspectorProfile)
class InspectorProfileAdmin(Recorded):
    list_display = ("officer", "expertise", "is_available")
    raw_id_fields = ("officer",)


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(Recorded):
    list_display = ("officer", "entity", "relation", "starts_on", "ends_on", "declared_on")
    raw_id_fields = ("officer", "entity")


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("title", "body", "year")


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ("title", "plan", "kind", "starts_on", "ends_on")


@admin.register(Draw)
class DrawAdmin(ReadOnlyAdmin):
    list_display = ("id", "task", "status", "candidate_count", "sample", "committed_at", "revealed_at")
    exclude = ("secret",)


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("task", "entity", "rank", "outcome", "inspected_on", "published_on")
    list_select_related = ("task", "entity")


@admin.register(InspectionPhoto)
class InspectionPhotoAdmin(ReadOnlyAdmin):
    list_display = ("inspection", "caption", "content_type", "size", "sha256", "uploaded_by", "uploaded_at")
    list_select_related = ("inspection__task", "inspection__entity", "uploaded_by")
    exclude = ("file", "thumbnail")  # files are served only through the permission-checked view


@admin.register(OnsiteRecord)
class OnsiteRecordAdmin(ReadOnlyAdmin):
    """现场笔录: written on the phone, received through ``services.offline``; read-only here."""
    list_display = ("inspection", "party_name", "recorded_by", "captured_at", "received_at")
    list_select_related = ("inspection__task", "inspection__entity", "recorded_by")
    exclude = ("signature",)  # the party's signature is served to no one through the admin


@admin.register(OfflineReceipt)
class OfflineReceiptAdmin(ReadOnlyAdmin):
    """离线提交回执: what reached the server from phones, when captured and when received."""
    list_display = ("client_id", "kind", "inspection", "officer", "captured_at", "received_at")
    list_filter = ("kind",)
    list_select_related = ("inspection__task", "inspection__entity", "officer")
