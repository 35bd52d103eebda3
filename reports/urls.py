from django.urls import path, re_path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("skills/", views.skills, name="skills"),
    re_path(r"^export/(?P<report>[a-z-]+)\.(?P<fmt>xlsx|csv)$", views.export, name="export"),
]
