"""Read-mostly admin: cases and links are looked at here; the one write offered (withdraw) calls the service."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from knowhow import services
from knowhow.models import Case, RequestLink


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("title", "request", "status", "show_organization", "published_at")
    list_filter = ("status", "show_organization")
    search_fields = ("title", "request__reference")
    list_select_related = ("request",)
    actions = ["withdraw"]

    @admin.action(description=_("Withdraw the selected cases from the library"))
    def withdraw(self, request, queryset):
        for case in queryset:
            try:
                services.case_withdraw(actor=request.user, case=case)
            except (PermissionDenied, ValidationError) as error:
                self.message_user(request, f"{case}: {error}", messages.WARNING)


@admin.register(RequestLink)
class RequestLinkAdmin(ReadOnlyAdmin):
    list_display = ("from_request", "to_request", "created_by", "created")
    list_select_related = ("from_request", "to_request", "created_by")
