from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from core.policies import register_nav_rules
        from reports import policies
        from reports.progress import can_view_progress_report

        register_nav_rules(
            {
                "view_dashboard": policies.can_view_dashboard,
                "view_skill_coverage": policies.can_view_skill_coverage,
                "view_progress_report": can_view_progress_report,
            }
        )
