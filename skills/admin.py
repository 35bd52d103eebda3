"""Django admin for the skill map. Saves go through the services (validated, audited); history is read-only.

Who may write here is the policies' answer (the taxonomy: `can_edit_taxonomy`; profiles: `can_manage_profiles`),
and nothing is deleted: skills are retired, job types and profiles deactivated, so the history keeps its meaning.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from skills import policies, services
from skills.models import (
    Certification,
    JobType,
    ProficiencyLevel,
    Skill,
    SkillAssessment,
    SkillCategory,
    SkillInterest,
    SkillLevelDescription,
    StaffProfile,
    TargetSkill,
)


def _defaults(form, exclude=("code",)) -> dict:
    return {
        name: value
        for name, value in form.cleaned_data.items()
        if name not in exclude and name in form.changed_data
    }


class PolicyAdmin(admin.ModelAdmin):
    """Add and change when the policy says so; never delete."""

    write_rule = staticmethod(policies.can_edit_taxonomy)

    def has_add_permission(self, request, obj=None):
        return self.write_rule(request.user)

    def has_change_permission(self, request, obj=None):
        return self.write_rule(request.user)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SkillCategory)
class SkillCategoryAdmin(PolicyAdmin):
    list_display = ("code", "name", "name_en", "order")
    search_fields = ("code", "name", "name_en")

    def save_model(self, request, obj, form, change):
        services.skill_category_upsert(actor=request.user, code=obj.code, defaults=_defaults(form))


class SkillLevelDescriptionInline(admin.TabularInline):
    model = SkillLevelDescription
    extra = 0
    can_delete = False  # a level's wording is rewritten, not removed


@admin.register(Skill)
class SkillAdmin(PolicyAdmin):
    list_display = ("code", "name", "name_en", "category", "active")
    list_filter = ("active", "category")
    search_fields = ("code", "name", "name_en")
    list_select_related = ("category",)
    inlines = [SkillLevelDescriptionInline]
    actions = ["retire"]

    def save_model(self, request, obj, form, change):
        skill, _created = services.skill_upsert(actor=request.user, code=obj.code, defaults=_defaults(form))
        obj.pk = skill.pk

    def save_formset(self, request, form, formset, change):
        for item in formset.save(commit=False):
            services.skill_level_description_set(
                actor=request.user,
                skill=item.skill,
                level=item.level,
                description=item.description,
                description_en=item.description_en,
            )

    @admin.action(description=_("Retire the selected skills (history is kept)"))
    def retire(self, request, queryset):
        for skill in queryset:
            services.skill_retire(actor=request.user, skill=skill)
        self.message_user(request, _("Retired."), messages.SUCCESS)


class TargetSkillInline(admin.TabularInline):
    model = TargetSkill
    extra = 1
    autocomplete_fields = ("skill",)


@admin.register(JobType)
class JobTypeAdmin(PolicyAdmin):
    list_display = ("code", "name", "name_en", "order", "active")
    inlines = [TargetSkillInline]

    def save_model(self, request, obj, form, change):
        job_type, _created = services.job_type_upsert(
            actor=request.user, code=obj.code, defaults=_defaults(form)
        )
        obj.pk = job_type.pk

    def save_formset(self, request, form, formset, change):
        for item in formset.save(commit=False):
            services.target_skill_set(
                actor=request.user,
                job_type=form.instance,
                skill=item.skill,
                target_level=item.target_level,
                importance=item.importance,
            )
        for item in formset.deleted_objects:
            services.target_skill_remove(actor=request.user, target=item)


@admin.register(ProficiencyLevel)
class ProficiencyLevelAdmin(PolicyAdmin):
    list_display = ("level", "name", "name_en")

    def save_model(self, request, obj, form, change):
        services.proficiency_level_upsert(
            actor=request.user, level=obj.level, defaults=_defaults(form, ("level",))
        )


@admin.register(StaffProfile)
class StaffProfileAdmin(PolicyAdmin):
    list_display = ("user", "kind", "job_type", "grade", "capacity_hours_per_week", "active")
    list_filter = ("active", "kind", "job_type")
    search_fields = ("user__email", "user__display_name")
    list_select_related = ("user", "job_type")
    raw_id_fields = ("user",)
    write_rule = staticmethod(policies.can_manage_profiles)

    def save_model(self, request, obj, form, change):
        profile, _created = services.staff_profile_upsert(
            actor=request.user, user=obj.user, defaults=_defaults(form, ("user",))
        )
        obj.pk = profile.pk


@admin.register(SkillAssessment)
class SkillAssessmentAdmin(ReadOnlyAdmin):
    list_display = ("staff", "skill", "level", "source", "status", "assessed_on", "validated_by")
    list_filter = ("source", "status")
    search_fields = ("staff__user__email", "staff__user__display_name", "skill__code")
    list_select_related = ("staff__user", "skill", "validated_by")
    date_hierarchy = "assessed_on"


@admin.register(Certification)
class CertificationAdmin(ReadOnlyAdmin):
    list_display = ("staff", "name", "issuer", "obtained_on", "expires_on", "skill")
    search_fields = ("staff__user__email", "name")
    list_select_related = ("staff__user", "skill")


@admin.register(SkillInterest)
class SkillInterestAdmin(ReadOnlyAdmin):
    list_display = ("staff", "skill", "wants_to_learn", "can_mentor")
    list_select_related = ("staff__user", "skill")
