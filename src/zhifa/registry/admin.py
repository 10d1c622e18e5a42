"""Registry admin: the system administrator's maintenance screens. Certificate state changes go
through services so that the same checks apply as in the pages."""
from django.contrib import admin

from . import models


class CertificateInline(admin.TabularInline):
    model = models.Certificate
    extra = 0
    fields = ["number", "issuer", "exam_score", "issued_on", "expires_on", "status", "status_changed_on", "revocation_reason", "status_note"]


class TrainingInline(admin.TabularInline):
    model = models.TrainingRecord
    extra = 0


class AssignmentInline(admin.TabularInline):
    model = models.Assignment
    extra = 0


@admin.register(models.Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(models.Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "sector", "jurisdiction", "legal_representative", "supervision_phone", "is_published", "is_active"]
    list_filter = ["kind", "sector", "is_published", "is_township_bureau", "jurisdiction__level"]
    search_fields = ["name", "code", "short_name"]
    list_select_related = ["jurisdiction"]
    autocomplete_fields = ["jurisdiction", "parent_department", "entrusted_by"]
    fieldsets = [
        (None, {"fields": ["code", "name", "short_name", "kind", "sector", "jurisdiction", "parent_department", "entrusted_by", "is_township_bureau"]}),
        ("公示信息（R01）", {"fields": ["legal_representative", "powers", "legal_basis", "responsibility_boundary", "address", "supervision_phone", "supervision_email", "is_published", "is_active"]}),
    ]


@admin.register(models.Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["name", "body", "staff_no", "position", "is_auxiliary", "is_legal_reviewer", "has_legal_qualification", "is_head", "status"]
    list_filter = ["status", "is_auxiliary", "is_legal_reviewer", "is_head", "body__sector"]
    search_fields = ["name", "staff_no", "certificates__number"]
    list_select_related = ["body"]
    autocomplete_fields = ["body", "user"]
    inlines = [CertificateInline, TrainingInline, AssignmentInline]


@admin.register(models.Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "officer", "issued_on", "expires_on", "status", "revocation_reason"]
    list_filter = ["status", "revocation_reason"]
    search_fields = ["number", "officer__name"]
    list_select_related = ["officer"]
    autocomplete_fields = ["officer"]


@admin.register(models.Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["kind", "from_body", "to_body", "item", "valid_from", "valid_to", "revoked_on"]
    list_filter = ["kind"]
    list_select_related = ["from_body", "to_body", "item"]
    autocomplete_fields = ["from_body", "to_body", "item"]


@admin.register(models.SupervisionPost)
class SupervisionPostAdmin(admin.ModelAdmin):
    list_display = ["name", "office", "jurisdiction", "user"]
    autocomplete_fields = ["jurisdiction", "user"]
