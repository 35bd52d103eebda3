from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SkillsConfig(AppConfig):
    name = "skills"
    label = "skills"
    verbose_name = _("Digital skill map")

    def ready(self) -> None:
        from core.policies import register_nav_rules
        from skills import policies
        from skills.services.reminders import register_kinds

        register_kinds()

        register_nav_rules(
            {
                "view_skill_map": policies.can_view_skill_map,
                "keep_own_skills": policies.can_keep_own_skills,
                "validate_assessments": policies.can_validate,
                "search_experts": policies.can_search_experts,
                "edit_taxonomy": policies.can_edit_taxonomy,
            }
        )
