from django.urls import path

from . import views, views_open
from .caching import public_page as cached

app_name = "portal"
urlpatterns = [
    path("", cached(views.home), name="home"),
    path("bodies/", cached(views.bodies), name="bodies"),
    path("bodies/<int:body_id>/", cached(views.body_detail), name="body_detail"),
    path("items/", cached(views.items), name="items"),
    path("benchmarks/", cached(views.benchmarks), name="benchmarks"),
    path("lists/", cached(views.lists), name="lists"),
    path("lists/<slug:kind>/", cached(views.lists), name="list"),
    path("procedures/", cached(views.procedures), name="procedures"),
    path("certificates/", cached(views.certificates), name="certificates"),
    path("decisions/", cached(views.decisions), name="decisions"),
    path("decisions/<int:case_id>/", cached(views.decision_detail), name="decision_detail"),
    path("inspections/", cached(views.inspections), name="inspections"),
    path("inspections/draws/<int:draw_id>/", cached(views.draw_detail), name="draw_detail"),
    path("guidance/", cached(views.guidance), name="guidance"),
    path("guidance/<int:case_id>/", cached(views.guidance_detail), name="guidance_detail"),
    path("complaints/", cached(views.complaint_lookup), name="complaint_lookup"),
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/<str:tracking_code>/filed/", views.complaint_filed, name="complaint_filed"),
    path("complaints/<str:tracking_code>/", views.complaint_detail, name="complaint_detail"),
    path("ratings/", cached(views_open.ratings), name="ratings"),
    path("acts/<str:code>/", views_open.act, name="act"),
    path("plans/", cached(views_open.plans), name="plans"),
    path("plans/<int:plan_id>/", cached(views_open.plan_detail), name="plan_detail"),
    path("articles/", cached(views_open.articles), name="articles"),
    path("articles/<int:article_id>/", cached(views_open.article_detail), name="article_detail"),
    path("contacts/", cached(views_open.contacts), name="contacts"),
    path("captures/", views.capture_lookup, name="capture_lookup"),
    path("captures/<str:lookup_code>/", views.capture_detail, name="capture_detail"),
    path("captures/<str:lookup_code>/file/", views.capture_file, name="capture_file"),
]
