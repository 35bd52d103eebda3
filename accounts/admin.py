"""Django admin for accounts. Organisations are saved through the service; user changes (profile, roles, active)
stay editable for administrators and each save records an audit event naming the fields and roles; nothing is
deleted (deactivate a user, revoke a token), so the audit trail keeps its actors."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, Organization, User
from accounts.policies import can_reset_mfa
from accounts.roles import roles_of
from accounts.security import changed_values, mfa_reset, user_changes_recorded, user_snapshot
from accounts.services import organization_upsert
from accounts.tokens import api_token_revoke
from core.admin import ReadOnlyAdmin
from core.audit import record


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "kind", "parent", "active", "password_login_allowed")
    list_filter = ("kind", "active", "password_login_allowed")
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
        (_("Profile"), {"fields": ("display_name", "organization", "preferred_language")}),
        (
            _("Roles and permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "sees_suborganizations")},
        ),
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

    actions = ["reset_mfa"]

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead (is_active): the audit trail keeps its actors

    def save_model(self, request, obj, form, change):
        # The values before the change, read from the database (the form has already set the new ones on obj).
        before = type(obj).objects.filter(pk=obj.pk).first() if change else None
        request._dx_user_before = user_snapshot(before) if before is not None else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        user.__dict__.pop("_dx_roles", None)
        before = getattr(request, "_dx_user_before", {})
        record(
            actor=request.user,
            verb="user.admin_change" if change else "user.admin_create",
            target=user,
            data={
                "fields": sorted(name for name in form.changed_data if not name.startswith("password")),
                "password_changed": any(name.startswith("password") for name in form.changed_data),
                "roles": sorted(roles_of(user)),
                "changes": changed_values(before, user_snapshot(user)) if before else {},
            },
        )
        user_changes_recorded(actor=request.user, user=user, before=before, source="admin")

    @admin.action(description=_("Reset the multi-factor authentication of the selected users"))
    def reset_mfa(self, request, queryset):
        if not can_reset_mfa(request.user):
            self.message_user(request, _("You may not reset second factors."), messages.ERROR)
            return
        count = sum(1 for user in queryset if mfa_reset(actor=request.user, user=user))
        self.message_user(
            request,
            _("Second factors were removed for %(count)d user(s).") % {"count": count},
            messages.SUCCESS,
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


class AuthenticatorAdmin(ReadOnlyAdmin):
    """Second factors are added by their owners; an administrator resets them with the user list's action."""

    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type",)
    exclude = ("data",)
    list_select_related = ("user",)


class SocialAccountAdmin(ReadOnlyAdmin):
    """Links to organisation accounts (SSO) are made at sign-in; the admin only looks."""

    list_display = ("user", "provider", "uid", "last_login", "date_joined")
    list_filter = ("provider",)
    exclude = ("extra_data",)
    list_select_related = ("user",)


def take_over_allauth_admin() -> None:
    """allauth registers editable admins for factors and SSO links; ours are read-only (writes go through the
    services and the audit trail). Called from AccountsConfig.ready(), after the admin's autodiscovery."""
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken

    for model in (Authenticator, SocialAccount, SocialApp, SocialToken):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
    admin.site.register(Authenticator, AuthenticatorAdmin)
    admin.site.register(SocialAccount, SocialAccountAdmin)
