from allauth.account import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import BootstrapFormMixin


class ProfileForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "preferred_language"]


class ApiTokenForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("e.g. the BI tool that will use it")
    )


# allauth's forms with Bootstrap classes (ACCOUNT_FORMS); the pages render them with includes/form_fields.html.
class LoginForm(BootstrapFormMixin, allauth_forms.LoginForm):
    """allauth's sign-in form, refusing the password of a user whose organisation signs in with SSO only."""

    def clean(self):
        cleaned = super().clean()
        user = getattr(self, "user", None)
        organization = getattr(user, "organization", None)
        if user is not None and organization is not None and not organization.password_login_allowed:
            from accounts.security import password_sign_in_refused

            password_sign_in_refused(user=user)
            self.user = None
            raise forms.ValidationError(
                _(
                    "%(organization)s signs in with its own account: use the button "
                    "“Sign in with your organisation's account”."
                )
                % {"organization": organization.localized_name},
                code="password_login_disabled",
            )
        return cleaned


class ResetPasswordForm(BootstrapFormMixin, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(BootstrapFormMixin, allauth_forms.ResetPasswordKeyForm):
    pass


class ChangePasswordForm(BootstrapFormMixin, allauth_forms.ChangePasswordForm):
    pass


class SetPasswordForm(BootstrapFormMixin, allauth_forms.SetPasswordForm):
    pass


class SignupForm(BootstrapFormMixin, allauth_forms.SignupForm):
    pass
