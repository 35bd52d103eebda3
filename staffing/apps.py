from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    """Assignment by skill: candidates, teams, the backlog plan, capacity and workload (on top of support+skills)."""

    name = "staffing"
    label = "staffing"
    verbose_name = _("Staffing")

    def ready(self) -> None:
        from core.policies import register_nav_rules
        from staffing import policies

        register_nav_rules(
            {
                "staff": policies.can_staff,
                "plan_backlog": policies.can_plan_backlog,
                "view_workload": policies.can_view_workload,
                "view_own_assignments": policies.can_view_own_assignments,
            }
        )
