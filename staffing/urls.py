from django.urls import path

from staffing import views

app_name = "staffing"
urlpatterns = [
    path("requests/<str:reference>/candidates/", views.candidates, name="candidates"),
    path("requests/<str:reference>/team/", views.team, name="team"),
    path("requests/<str:reference>/assign/", views.assign, name="assign"),
    path("assignments/<int:pk>/release/", views.release, name="release"),
    path("backlog/", views.backlog_plan, name="backlog_plan"),
    path("workload/", views.workload, name="workload"),
    path("mine/", views.my_assignments, name="my_assignments"),
]
