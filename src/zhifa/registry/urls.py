from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "registry"
urlpatterns = [
    # The home page (工作台) is the workbench's; ``registry:home`` stays as its alias (the
    # workbench's route for "/" comes first, so this one only serves ``reverse``).
    path("", RedirectView.as_view(pattern_name="workbench:home"), name="home"),
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/<int:pk>/", views.body_detail, name="body_detail"),
    path("officers/", views.officer_list, name="officer_list"),
    path("officers/<int:pk>/", views.officer_detail, name="officer_detail"),
    path("officers/<int:pk>/actions/<str:action>/", views.officer_action, name="officer_action"),
    path("officers/<int:pk>/actions/<str:action>/<int:target>/", views.officer_action, name="officer_target_action"),
    path("bodies/<int:pk>/officers/new/", views.register_officer, name="register_officer"),
    path("jurisdictions/", views.jurisdiction_tree, name="jurisdiction_tree"),
    path("registry/health/", views.health, name="health"),
    path("imports/", views.imports, name="imports"),
    path("imports/jobs/<int:pk>/", views.import_job, name="import_job"),
    path("imports/jobs/<int:pk>/run/", views.import_job_run, name="import_job_run"),
]
