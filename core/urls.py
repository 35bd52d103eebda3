from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("imports/<int:pk>/", views.import_job, name="import_job"),
    path("imports/<int:pk>/status/", views.import_job_status, name="import_job_status"),
]
