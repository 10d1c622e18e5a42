from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("bodies/", views.bodies, name="bodies"),
    path("bodies/<int:body_id>/", views.body_detail, name="body_detail"),
    path("items/", views.items, name="items"),
    path("benchmarks/", views.benchmarks, name="benchmarks"),
    path("lists/", views.lists, name="lists"),
    path("lists/<slug:kind>/", views.lists, name="list"),
    path("procedures/", views.procedures, name="procedures"),
    path("certificates/", views.certificates, name="certificates"),
    path("decisions/", views.decisions, name="decisions"),
    path("decisions/<int:case_id>/", views.decision_detail, name="decision_detail"),
    path("inspections/", views.inspections, name="inspections"),
    path("inspections/draws/<int:draw_id>/", views.draw_detail, name="draw_detail"),
    path("guidance/", views.guidance, name="guidance"),
    path("guidance/<int:case_id>/", views.guidance_detail, name="guidance_detail"),
    path("complaints/", views.complaint_lookup, name="complaint_lookup"),
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/<str:tracking_code>/filed/", views.complaint_filed, name="complaint_filed"),
    path("complaints/<str:tracking_code>/", views.complaint_detail, name="complaint_detail"),
    path("captures/", views.capture_lookup, name="capture_lookup"),
    path("captures/<str:lookup_code>/", views.capture_detail, name="capture_detail"),
    path("captures/<str:lookup_code>/file/", views.capture_file, name="capture_file"),
]
