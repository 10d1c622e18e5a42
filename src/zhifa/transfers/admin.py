"""Transfers admin: the criminal thresholds per item (立案追诉标准, data with their source), saved
and deleted through ``services.save_by_admin`` / ``delete_by_admin`` (recorded on ``item:<code>``).
Transfers themselves change only through their workflow (the pages and the API)."""
from django.contrib import admin

from zhifa.registry.admin import RecordedAdmin

from . import services
from .models import CriminalThreshold


@admin.register(CriminalThreshold)
class CriminalThresholdAdmin(RecordedAdmin):
    recorder = services
    list_display = ["item", "measure", "amount", "offence", "source", "effective_from", "effective_to"]
    list_filter = ["measure"]
    search_fields = ["item__code", "item__name", "offence", "source"]
    autocomplete_fields = ["item"]
