"""Django admin for support requests: read-only. Requests, their conversation, files, effort, ratings and status
history change only through the pages and GraphQL (services, lifecycle, audit trail); the admin is for looking.
The categories and their skill profiles (the skills suggested at triage) are reference data that administrators
maintain here, saved through the services (audited).
Assignments are shown, and released, in the staffing admin (staffing writes them)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline
from support import policies, services
from support.models import (
    Attachment,
    CategorySkill,
    Comment,
    EffortLog,
    RequestCategory,
    RequiredSkill,
    SatisfactionResponse,
    ServiceLevel,
    StatusChange,
    SupportRequest,
)


class CategorySkillInline(admin.TabularInline):
    """The category's skill profile; rows are saved and removed through the services (RequestCategoryAdmin)."""

    model = CategorySkill
    extra = 1
    fields = ("skill", "min_level", "weight", "mandatory")
    autocomplete_fields = ("skill",)

    def has_add_permission(self, request, obj=None):
        return policies.can_edit_categories(request.user)

    def has_change_permission(self, request, obj=None):
        return policies.can_edit_categories(request.user)

    def has_delete_permission(self, request, obj=None):
        return policies.can_edit_categories(request.user)


@admin.register(RequestCategory)
class RequestCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "order", "active")
    list_editable = ("order", "active")
    inlines = [CategorySkillInline]

    def has_add_permission(self, request):
        return policies.can_edit_categories(request.user)

    def has_change_permission(self, request, obj=None):
        return policies.can_edit_categories(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # retire (active = off): requests keep their category

    def save_model(self, request, obj, form, change):
        services.request_category_save(actor=request.user, category=obj, changed=form.changed_data)

    def save_formset(self, request, form, formset, change):
        for line in formset.save(commit=False):
            stored = CategorySkill.objects.filter(pk=line.pk).exclude(skill=line.skill_id).first()
            if stored is not None:  # the row now names another skill: the old line goes
                services.category_skill_remove(actor=request.user, line=stored)
            services.category_skill_set(
                actor=request.user,
                category=form.instance,
                skill=line.skill,
                min_level=line.min_level,
                weight=line.weight,
                mandatory=line.mandatory,
            )
        for line in formset.deleted_objects:
            services.category_skill_remove(actor=request.user, line=line)


@admin.register(ServiceLevel)
class ServiceLevelAdmin(admin.ModelAdmin):
    """サービスレベル: business days per priority (and optionally category); saved through the service, which
    recomputes the open requests' due dates."""

    list_display = ("priority", "category", "first_response_days", "triage_days", "resolution_days")
    list_filter = ("priority", "category")
    list_select_related = ("category",)

    def has_add_permission(self, request):
        return policies.can_edit_service_levels(request.user)

    def has_change_permission(self, request, obj=None):
        return policies.can_edit_service_levels(request.user)

    def has_delete_permission(self, request, obj=None):
        return policies.can_edit_service_levels(request.user)

    def save_model(self, request, obj, form, change):
        services.service_level_save(actor=request.user, level=obj, changed=form.changed_data)

    def delete_model(self, request, obj):
        services.service_level_delete(actor=request.user, level=obj)

    def delete_queryset(self, request, queryset):
        for level in queryset:
            services.service_level_delete(actor=request.user, level=level)


class RequiredSkillInline(ReadOnlyInline):
    model = RequiredSkill
    fields = ("skill", "min_level", "weight", "mandatory")


@admin.register(SupportRequest)
class SupportRequestAdmin(ReadOnlyAdmin):
    list_display = (
        "reference",
        "title",
        "organization",
        "category",
        "status",
        "priority",
        "submitted_at",
        "resolution_due",
    )
    list_filter = ("status", "category", "phase", "fiscal_year")
    search_fields = ("reference", "title")
    list_select_related = ("organization", "category")
    inlines = [RequiredSkillInline]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("request", "author", "internal", "created")
    list_filter = ("internal",)
    search_fields = ("request__reference",)
    list_select_related = ("request", "author")


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("request", "original_name", "size", "internal", "uploaded_by", "created")
    list_filter = ("internal",)
    search_fields = ("request__reference", "original_name")
    list_select_related = ("request", "uploaded_by")


@admin.register(EffortLog)
class EffortLogAdmin(ReadOnlyAdmin):
    list_display = ("request", "staff", "worked_on", "hours")
    search_fields = ("request__reference", "staff__user__email")
    list_select_related = ("request", "staff__user")


@admin.register(SatisfactionResponse)
class SatisfactionResponseAdmin(ReadOnlyAdmin):
    list_display = ("request", "score", "respondent", "created")
    list_filter = ("score",)
    list_select_related = ("request", "respondent")


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ("request", "from_status", "to_status", "actor", "created")
    list_filter = ("to_status",)
    search_fields = ("request__reference",)
    list_select_related = ("request", "actor")
