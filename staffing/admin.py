"""Django admin for assignments: read-only, with one write — releasing — that goes through the service
(capacity freed, audit event recorded), exactly as the release button on the candidates page."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from staffing import absences, policies, services, team_rules
from staffing.models import Absence, TeamRule
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


@admin.register(TeamRule)
class TeamRuleAdmin(admin.ModelAdmin):
    """Team rules are data the managers keep: every save goes through the service (validated, audited)."""

    list_display = ("__str__", "requires_specialist", "requires_ict_officer", "learner_optional", "note")
    list_select_related = ("category",)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        team_rules.team_rule_save(actor=request.user, rule=obj)


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    """Leave and training days (休暇・研修); saved and deleted through the service (audited)."""

    list_display = ("staff", "kind", "starts_on", "ends_on", "hours_per_day", "note")
    list_filter = ("kind",)
    search_fields = ("staff__user__email", "staff__user__display_name")
    list_select_related = ("staff__user",)
    autocomplete_fields = ("staff",)
    date_hierarchy = "starts_on"

    def save_model(self, request, obj, form, change):
        absences.absence_save(actor=request.user, absence=obj)

    def delete_model(self, request, obj):
        absences.absence_delete(actor=request.user, absence=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            absences.absence_delete(actor=request.user, absence=obj)
