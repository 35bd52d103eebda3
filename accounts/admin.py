"""Django admin for accounts. Organisations are saved through the service; user changes (profile, roles, active)
stay editable for administrators and each save records an audit event naming the fields and roles; nothing is
deleted (deactivate a user, revoke a token), so the audit trail keeps its actors."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, Organization, User
from accounts.roles import roles_of
from accounts.services import organization_upsert
from accounts.tokens import api_token_revoke
from core.admin import ReadOnlyAdmin
from core.audit import record


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "kind", "parent", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name", "name_en")
    list_select_related = ("parent",)

    def save_model(self, request, obj, form, change):
        defaults = {name: form.cleaned_data[name] for name in form.changed_data if name != "code"}
        organization, _created = organization_upsert(actor=request.user, code=obj.code, defaults=defaults)
        obj.pk = organization.pk

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: requests and users keep their organisation


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "display_name", "organization", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "groups", "organization__kind")
    search_fields = ("email", "display_name")
    list_select_related = ("organization",)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "organization", "preferred_language", "notify_optional")}),
        (_("Roles and permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "display_name", "organization", "password1", "password2"),
            },
        ),
    )

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead (is_active): the audit trail keeps its actors

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        user.__dict__.pop("_dx_roles", None)
        record(
            actor=request.user,
            verb="user.admin_change" if change else "user.admin_create",
            target=user,
            data={
                "fields": sorted(name for name in form.changed_data if not name.startswith("password")),
                "password_changed": any(name.startswith("password") for name in form.changed_data),
                "roles": sorted(roles_of(user)),
            },
        )


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are created by their owners (profile page); the admin revokes them through the service."""

    list_display = ("name", "user", "prefix", "created", "last_used", "revoked_at")
    exclude = ("key_hash",)
    list_select_related = ("user",)
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(actor=request.user, token=token)
        self.message_user(request, _("Revoked."), messages.SUCCESS)
