from allauth.account import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import BootstrapFormMixin


class ProfileForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "preferred_language", "notify_optional"]


class ApiTokenForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("e.g. the BI tool that will use it")
    )


# allauth's forms with Bootstrap classes (ACCOUNT_FORMS); the pages render them with includes/form_fields.html.
class LoginForm(BootstrapFormMixin, allauth_forms.LoginForm):
    pass


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
