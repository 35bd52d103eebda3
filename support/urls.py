from django.urls import path, register_converter

from support import views, views_engagements, views_lists, views_satisfaction


class ReferenceConverter:
    regex = r"[A-Z]{2,4}-\d{4}-\d{1,6}"  # DX-2025-0042 (other prefixes tolerated for data made elsewhere)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReferenceConverter, "reference")

app_name = "support"
urlpatterns = [
    path("engagements/", views_engagements.engagement_list, name="engagement_list"),
    path("engagements/new/", views_engagements.engagement_create, name="engagement_create"),
    path("engagements/outreach/", views_engagements.outreach_request, name="outreach_request"),
    path("engagements/<int:pk>/", views_engagements.engagement_detail, name="engagement_detail"),
    path("engagements/<int:pk>/edit/", views_engagements.engagement_edit, name="engagement_edit"),
    path("engagements/<int:pk>/schedule/", views_engagements.engagement_schedule, name="engagement_schedule"),
    path("engagements/<int:pk>/decline/", views_engagements.engagement_decline, name="engagement_decline"),
    path("engagements/<int:pk>/outcome/", views_engagements.engagement_outcome, name="engagement_outcome"),
    path(
        "engagements/<int:pk>/materials/<int:material>/",
        views_engagements.engagement_material,
        name="engagement_material",
    ),
    path("organizations/<str:code>/", views_engagements.organization_overview, name="organization_overview"),
    path("", views.request_list, name="request_list"),
    path("new/", views.request_create, name="request_create"),
    path("triage/", views.triage_queue, name="triage"),
    path("export/", views.request_export, name="request_export"),
    path("views/", views_lists.saved_view_save, name="saved_view_save"),
    path("views/<int:pk>/delete/", views_lists.saved_view_delete, name="saved_view_delete"),
    path("import/", views.request_import, name="request_import"),
    path("import/confirm/", views.request_import_confirm, name="request_import_confirm"),
    path("<reference:reference>/", views.request_detail, name="request_detail"),
    path("<reference:reference>/edit/", views.request_edit, name="request_edit"),
    path("<reference:reference>/triage/", views.request_triage, name="request_triage"),
    path("<reference:reference>/status/", views.request_status, name="request_status"),
    path("<reference:reference>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("<reference:reference>/comments/", views.comment_create, name="comment_create"),
    path("<reference:reference>/attachments/", views.attachment_upload, name="attachment_upload"),
    path(
        "<reference:reference>/attachments/<int:pk>/", views.attachment_download, name="attachment_download"
    ),
    path("<reference:reference>/effort/", views.effort_create, name="effort_create"),
    path("<reference:reference>/satisfaction/", views.satisfaction_create, name="satisfaction_create"),
    path(
        "<reference:reference>/satisfaction/follow-up/",
        views_satisfaction.satisfaction_follow_up_create,
        name="satisfaction_follow_up",
    ),
]
