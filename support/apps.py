from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "support"
    label = "support"
    verbose_name = _("Support requests")

    def ready(self):
        from skills.selectors import register_allocated_hours
        from support.models import Assignment

        register_allocated_hours(Assignment.objects.allocated_hours_subquery)
