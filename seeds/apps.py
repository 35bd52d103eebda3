from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeedsConfig(AppConfig):
    name = "seeds"
    label = "seeds"
    verbose_name = _("Reference and demo data")
