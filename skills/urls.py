from django.urls import path

from skills import views, views_trainings

app_name = "skills"
urlpatterns = [
    path("", views.my_skills, name="my_skills"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("validation/", views.validation_queue, name="validation_queue"),
    path("validation/<int:pk>/validate/", views.validate, name="validate"),
    path("validation/<int:pk>/adjust/", views.adjust, name="adjust"),
    path("experts/", views.expert_search, name="expert_search"),
    path("export/<slug:kind>/", views.export, name="export"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("trainings/", views_trainings.training_list, name="training_list"),
    path("trainings/complete/", views_trainings.training_complete, name="training_complete"),
    path("taxonomy/", views.taxonomy, name="taxonomy"),
    path("taxonomy/skills/<slug:code>/retire/", views.skill_retire, name="skill_retire"),
]
