from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError

from core.validators import single_line


class AccountAdapter(DefaultAccountAdapter):
    """Public sign-up is closed unless ACCOUNT_ALLOW_SIGNUPS is set: accounts come from admins and imports.

    Mail goes to the outbox (core.mail) and is sent by a background task: a mail server outage never reaches the
    user's request, and password reset answers the same whether or not the mail could go out yet.
    """

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
