"""Django admin for assignments: read-only, with one write — releasing — that goes through the service
(capacity freed, audit event recorded), exactly as the release button on the candidates page."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from staffing import policies, services
from support.models import Assignment


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("request", "staff", "role", "allocated_hours_per_week", "assigned_at", "released_at")
    list_filter = ("role",)
    search_fields = ("request__reference", "staff__user__email", "staff__user__display_name")
    list_select_related = ("request", "staff__user")
    actions = ["release"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not policies.can_staff(request.user):
            actions.pop("release", None)
        return actions

    @admin.action(description=_("Release the selected assignments"))
    def release(self, request, queryset):
        released = 0
        for assignment in queryset.active():
            try:
                services.assignment_release(actor=request.user, assignment=assignment)
            except (PermissionDenied, ValidationError) as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                released += 1
        self.message_user(
            request, _("%(count)s assignments were released.") % {"count": released}, messages.SUCCESS
        )
