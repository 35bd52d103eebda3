from django.urls import path, re_path

from reports import views, views_satisfaction

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("skills/", views.skills, name="skills"),
    path("satisfaction/", views_satisfaction.satisfaction, name="satisfaction"),
    re_path(r"^export/(?P<report>[a-z-]+)\.(?P<fmt>xlsx|csv)$", views.export, name="export"),
]
