"""Registry admin: the system administrator's maintenance screens.

Certificates are read-only here: issuing, suspending, restoring and revoking go through
``registry.services`` from the officer's page (``/officers/<id>/``) or the API, so that nobody
bypasses the rules (unique number, expiry after issue, R05, revocation reason). Only the issuer
and exam details may be corrected here."""
from django.contrib import admin

from . import access, models, services


class RecordedAdmin(admin.ModelAdmin):
    """Every save and deletion made here goes through the ``recorder``'s ``save_by_admin`` /
    ``delete_by_admin`` use cases (the registry's services by default; a higher app's admin names
    its own), which record it (全过程记录) on the object's stream; inline rows likewise."""

    recorder = services

    def save_model(self, request, obj, form, change):
        self.recorder.save_by_admin(obj, changed=list(form.changed_data), created=not change, actor=access.actor_for(request.user))

    def delete_model(self, request, obj):
        self.recorder.delete_by_admin([obj], actor=access.actor_for(request.user))

    def delete_queryset(self, request, queryset):
        self.recorder.delete_by_admin(list(queryset), actor=access.actor_for(request.user))

    def save_formset(self, request, form, formset, change):
        actor = access.actor_for(request.user)
        formset.save(commit=False)
        if formset.deleted_objects:
            self.recorder.delete_by_admin(formset.deleted_objects, actor=actor)
        for obj in formset.new_objects:
            self.recorder.save_by_admin(obj, changed=[], created=True, actor=actor)
        for obj, changed in formset.changed_objects:
            self.recorder.save_by_admin(obj, changed=list(changed), created=False, actor=actor)
        formset.save_m2m()


CERTIFICATE_RULED_FIELDS = ["officer", "number", "issued_on", "expires_on", "status", "status_changed_on", "revocation_reason", "status_note"]


class CertificateInline(admin.TabularInline):
    """Shown for reference; changes are made on the officer's page through the services."""

    model = models.Certificate
    extra = 0
    fields = ["number", "issuer", "exam_score", "issued_on", "expires_on", "status", "status_changed_on", "revocation_reason", "status_note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class TrainingInline(admin.TabularInline):
    model = models.TrainingRecord
    extra = 0


class AssignmentInline(admin.TabularInline):
    model = models.Assignment
    extra = 0


@admin.register(models.Jurisdiction)
class JurisdictionAdmin(RecordedAdmin):
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(models.Body)
class BodyAdmin(RecordedAdmin):
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
class OfficerAdmin(RecordedAdmin):
    list_display = ["name", "body", "staff_no", "position", "is_auxiliary", "is_legal_reviewer", "has_legal_qualification", "is_head", "status"]
    list_filter = ["status", "is_auxiliary", "is_legal_reviewer", "is_head", "body__sector"]
    search_fields = ["name", "staff_no", "certificates__number"]
    list_select_related = ["body"]
    autocomplete_fields = ["body", "user"]
    inlines = [CertificateInline, TrainingInline, AssignmentInline]


@admin.register(models.Certificate)
class CertificateAdmin(RecordedAdmin):
    list_display = ["number", "officer", "issued_on", "expires_on", "status", "revocation_reason"]
    list_filter = ["status", "revocation_reason"]
    search_fields = ["number", "officer__name"]
    list_select_related = ["officer"]
    readonly_fields = CERTIFICATE_RULED_FIELDS
    fields = CERTIFICATE_RULED_FIELDS[:2] + ["issuer", "exam_score", "exam_passed_on"] + CERTIFICATE_RULED_FIELDS[2:]

    def has_add_permission(self, request):
        return False  # 发证在人员详情页“发放（换发）执法证”，经 services.issue_certificate 校验

    def has_delete_permission(self, request, obj=None):
        return False  # 执法证记录只注销，不删除


@admin.register(models.SupervisionPost)
class SupervisionPostAdmin(RecordedAdmin):
    list_display = ["name", "office", "jurisdiction", "user"]
    autocomplete_fields = ["jurisdiction", "user"]
