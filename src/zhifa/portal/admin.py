"""Portal admin: the guidance library (执法案例指导, R41) is edited here, every save recorded on
``guidance:<id>``; complaints are read-only here (they are handled at ``/complaints/`` through
the services, which record each act)."""
from django.contrib import admin

from zhifa.registry.admin import RecordedAdmin

from . import models, services


@admin.register(models.GuidanceCase)
class GuidanceCaseAdmin(RecordedAdmin):
    recorder = services
    list_display = ["number", "title", "domain", "body", "published_on", "is_published"]
    list_filter = ["is_published", "domain"]
    search_fields = ["number", "title", "keywords"]


@admin.register(models.Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ["tracking_code", "kind", "body", "subject", "state", "received_on", "accept_due"]
    list_filter = ["state", "kind"]
    search_fields = ["tracking_code", "subject"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
