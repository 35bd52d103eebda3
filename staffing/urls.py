from django.urls import path

from staffing import views, views_bulk

app_name = "staffing"
urlpatterns = [
    path("requests/bulk/", views_bulk.request_bulk, name="request_bulk"),
    path("requests/<str:reference>/candidates/", views.candidates, name="candidates"),
    path("requests/<str:reference>/team/", views.team, name="team"),
    path("requests/<str:reference>/assign/", views.assign, name="assign"),
    path("assignments/<int:pk>/release/", views.release, name="release"),
    path("backlog/", views.backlog_plan, name="backlog_plan"),
    path("workload/", views.workload, name="workload"),
    path("mine/", views.my_assignments, name="my_assignments"),
]
