from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "support"
    label = "support"
    verbose_name = _("Support requests")

    def ready(self):
        from core.policies import register_nav_rules
        from skills.selectors import register_allocated_hours
        from support import engagement_policies, notifications, policies
        from support.models import Assignment

        notifications.register_kinds()
        register_allocated_hours(Assignment.objects.allocated_hours_subquery)
        register_nav_rules(
            {
                "list_requests": policies.can_list_requests,
                "see_all_requests": policies.sees_all_requests,
                "submit_request": policies.can_submit,
                "triage": policies.can_triage,
                "bulk_update_requests": policies.can_bulk_update,
                "list_engagements": engagement_policies.can_list_engagements,
            }
        )
