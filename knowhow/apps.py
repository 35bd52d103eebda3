from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowhowConfig(AppConfig):
    name = "knowhow"
    label = "knowhow"
    verbose_name = _("Know-how")

    def ready(self) -> None:
        from knowhow import signals

        signals.connect()
