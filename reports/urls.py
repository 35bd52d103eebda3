from django.urls import path, re_path

from reports import views, views_progress, views_satisfaction

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("skills/", views.skills, name="skills"),
    path("skills/<slug:tab>/", views.skills, name="skills_tab"),
    path("satisfaction/", views_satisfaction.satisfaction, name="satisfaction"),
    path("progress/", views_progress.progress, name="progress"),
    re_path(
        r"^progress/export\.(?P<fmt>pdf|xlsx|csv)$", views_progress.progress_export, name="progress_export"
    ),
    path("municipal-coverage/", views_progress.engagement_coverage_page, name="engagement_coverage"),
    re_path(r"^export/(?P<report>[a-z-]+)\.(?P<fmt>xlsx|csv)$", views.export, name="export"),
]
