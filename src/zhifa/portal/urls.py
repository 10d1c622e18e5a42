from django.urls import path

from . import views, views_open

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
    path("ratings/", views_open.ratings, name="ratings"),
    path("acts/<str:code>/", views_open.act, name="act"),
    path("plans/", views_open.plans, name="plans"),
    path("plans/<int:plan_id>/", views_open.plan_detail, name="plan_detail"),
    path("articles/", views_open.articles, name="articles"),
    path("articles/<int:article_id>/", views_open.article_detail, name="article_detail"),
    path("contacts/", views_open.contacts, name="contacts"),
    path("captures/", views.capture_lookup, name="capture_lookup"),
    path("captures/<str:lookup_code>/", views.capture_detail, name="capture_detail"),
    path("captures/<str:lookup_code>/file/", views.capture_file, name="capture_file"),
]
