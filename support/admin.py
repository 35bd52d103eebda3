from django.contrib import admin

from support.models import (
    Assignment,
    Attachment,
    Comment,
    EffortLog,
    RequestCategory,
    RequiredSkill,
    SatisfactionResponse,
    StatusChange,
    SupportRequest,
)


@admin.register(RequestCategory)
class RequestCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "order", "active")
    list_editable = ("order", "active")


class RequiredSkillInline(admin.TabularInline):
    model = RequiredSkill
    extra = 0
    autocomplete_fields = ()
    raw_id_fields = ("skill",)


@admin.register(SupportRequest)
class SupportRequestAdmin(admin.ModelAdmin):
    """Read-mostly: changes go through the pages (services and lifecycle), so the admin is for looking."""

    list_display = ("reference", "title", "organization", "category", "status", "priority", "submitted_at")
    list_filter = ("status", "category", "phase", "fiscal_year")
    search_fields = ("reference", "title")
    list_select_related = ("organization", "category")
    readonly_fields = [f.name for f in SupportRequest._meta.fields]
    inlines = [RequiredSkillInline]


for model in (Assignment, Attachment, Comment, EffortLog, SatisfactionResponse, StatusChange):
    admin.site.register(model)
