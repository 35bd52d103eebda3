from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowhowConfig(AppConfig):
    name = "knowhow"
    label = "knowhow"
    verbose_name = _("Know-how")

    def ready(self) -> None:
        from core.policies import register_nav_rules
        from knowhow import policies, signals

        signals.connect()
        register_nav_rules({"view_cases": policies.can_view_cases})
