from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    """Assignment by skill: candidates, teams, the backlog plan, capacity and workload (on top of support+skills)."""

    name = "staffing"
    label = "staffing"
    verbose_name = _("Staffing")
