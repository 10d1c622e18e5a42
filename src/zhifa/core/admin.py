"""Admin of ``core``: the holiday table (节假日与调休) and its loaded years; API tokens and import jobs read-only."""
from __future__ import annotations

from django.contrib import admin

from zhifa.core import services
from zhifa.core.models import ApiToken, Holiday, HolidayYear, ImportJob, TotpDevice

_WEEKDAYS = "一二三四五六日"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and detail pages only: no add, change or delete in the admin. For models that change
    only through their ``services`` (which record every change), never by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """One row per day that differs from the plain week. Editing a row takes effect at once in
    every process (the calendar service watches the table's version stamp)."""

    list_display = ("day", "weekday", "is_working_day", "name", "source", "updated_at")
    list_filter = ("is_working_day", "source")
    search_fields = ("name",)
    date_hierarchy = "day"
    ordering = ("-day",)
    readonly_fields = ("updated_at",)
    fields = ("day", "is_working_day", "name", "source", "updated_at")

    @admin.display(description="星期")
    def weekday(self, obj: Holiday) -> str:
        return f"星期{_WEEKDAYS[obj.day.weekday()]}"

    def save_model(self, request, obj, form, change):
        """Through the use case: the edit is recorded on ``calendar:<year>``."""
        services.save_holiday(obj, actor=request.user, changed=form.changed_data if change else ())

    def delete_model(self, request, obj):
        services.delete_holiday(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.delete_holiday(obj, actor=request.user)


@admin.register(HolidayYear)
class HolidayYearAdmin(admin.ModelAdmin):
    """A year listed here counts as fully known: add it only once all its holidays and make-up
    working days are in the table (or use ``zhifa load_holidays --csv``)."""

    list_display = ("year", "source", "loaded_at")
    ordering = ("-year",)
    readonly_fields = ("loaded_at",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only list of issued tokens (only digests are stored); deleting one revokes it."""

    list_display = ("user", "created_at", "expires_at")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    readonly_fields = ("user", "digest", "created_at", "expires_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TotpDevice)
class TotpDeviceAdmin(admin.ModelAdmin):
    """动态口令设备 (core/security/totp.py): who has a second factor since when; the secret is
    never shown. Deleting a device resets the user's second factor (a lost phone): the user enrols
    again at the next login (their recovery codes are deleted with it)."""

    list_display = ("user", "confirmed_at", "created_at")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    fields = ("user", "confirmed_at", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        obj.user.recovery_codes.all().delete()
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        from zhifa.core.models import RecoveryCode

        RecoveryCode.objects.filter(user__in=queryset.values("user")).delete()
        super().delete_queryset(request, queryset)


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """导入任务, read-only: who imported which file (its SHA-256) when, and what came of it.
    Jobs are made by the 数据导入 page, the API and never by hand."""

    list_display = ("id", "label", "filename", "dry_run", "status", "done_rows", "total_rows", "created_by", "created_at")
    list_filter = ("status", "kind", "dry_run")
    list_select_related = ("created_by",)
    search_fields = ("filename", "sha256", "created_by__username")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


from zhifa.core.models import SecurityEvent  # noqa: E402


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    """安全审计记录, read-only for everyone (the administrator included): entries are written by
    ``core.security.audit.record`` and dropped only by the retention sweep."""

    list_display = ("seq", "at", "kind", "outcome", "username", "address", "object")
    list_filter = ("kind", "outcome")
    search_fields = ("username", "address", "object")
    date_hierarchy = "at"
