import logging

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.mail import BadHeaderError
from django.utils.translation import gettext as _

from core.validators import single_line

logger = logging.getLogger("dxdesk.accounts.mail")


class AccountAdapter(DefaultAccountAdapter):
    """Public sign-up is closed unless ACCOUNT_ALLOW_SIGNUPS is set: accounts come from admins and imports."""

    def is_open_for_signup(self, request) -> bool:
        return bool(getattr(settings, "ACCOUNT_ALLOW_SIGNUPS", False))

    def pre_authenticate(self, request, **credentials) -> None:
        """allauth's lockout (ACCOUNT_RATE_LIMITS["login_failed"]) goes into the accounts audit."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            from accounts.security import failed_sign_in_recorded

            failed_sign_in_recorded(email=credentials.get("email", ""), reason="lockout")
            raise

    def format_email_subject(self, subject: str) -> str:
        return single_line(super().format_email_subject(subject))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Send allauth's mail; a mail server outage is logged and never turns the user's action into a 500.

        Password reset then answers exactly as when the mail went out (the same page for every address, so the
        answer never tells whether an account exists); a signed-in user is told that the mail could not be sent.
        Retrying is the job of the background worker of a later issue.
        """
        try:
            super().send_mail(template_prefix, email, context)
        except (OSError, BadHeaderError):  # smtplib's errors and refused connections are OSErrors
            logger.error(
                "Could not send the %s mail to %s", template_prefix.rsplit("/", 1)[-1], email, exc_info=True
            )
            request = getattr(self, "request", None)
            user = getattr(request, "user", None)
            if request is not None and user is not None and user.is_authenticated:
                messages.warning(
                    request,
                    _("We could not send you an e-mail just now. Please try again later."),
                    fail_silently=True,
                )
