from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("imports/<int:pk>/", views.import_job, name="import_job"),
    path("imports/<int:pk>/status/", views.import_job_status, name="import_job_status"),
    path("exports/<int:pk>/", views.export_job, name="export_job"),
    path("exports/<int:pk>/status/", views.export_job_status, name="export_job_status"),
    path("exports/<int:pk>/download/", views.export_job_download, name="export_job_download"),
]
