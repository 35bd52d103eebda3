from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        from accounts.roles import is_admin
        from core.policies import register_nav_rules

        register_nav_rules({"administer": is_admin})

        from accounts import signals
        from accounts.admin import take_over_allauth_admin

        signals.connect()
        take_over_allauth_admin()
