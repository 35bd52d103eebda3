from django.urls import path

from knowhow import views

app_name = "knowhow"
urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/withdraw/", views.case_withdraw, name="case_withdraw"),
    path("suggest/", views.suggest, name="suggest"),
    path("requests/<str:reference>/similar/", views.request_panel, name="request_panel"),
    path("requests/<str:reference>/case/", views.case_edit, name="case_edit"),
    path("requests/<str:reference>/links/", views.link_add, name="link_add"),
    path("requests/<str:reference>/links/<str:other>/delete/", views.link_remove, name="link_remove"),
]
