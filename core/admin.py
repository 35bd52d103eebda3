from django.contrib import admin

from core.models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """The admin looks, never writes: history and records that only the services write (with the audit trail).
    A write the admin still offers is an admin action that calls the service."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("created", "actor", "verb", "target_type", "target_id")
    list_filter = ("verb", "target_type")
    search_fields = ("verb", "target_id", "actor__email")
    list_select_related = ("actor", "target_type")
    readonly_fields = ("created", "actor", "verb", "target_type", "target_id", "data")
