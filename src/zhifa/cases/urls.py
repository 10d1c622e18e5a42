"""Pages of the officer's workbench (办案工作台); the JSON API is in ``api.py``."""
from django.urls import path

from . import views, views_field, views_flexible, views_pickers

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.register, name="register"),
    path("approvals/", views.approvals, name="approvals"),
    path("reviews/", views.reviews, name="reviews"),
    path("pick/items/", views_pickers.pick_items, name="pick_items"),
    path("sw.js", views_field.service_worker, name="service_worker"),  # scope /cases/ (现场取证离线, B9)
    path("flexible/", views_flexible.flexible_list, name="flexible_list"),
    path("flexible/<int:pk>/follow-up/", views_flexible.flexible_follow_up, name="flexible_follow_up"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/actions/<str:code>/", views.case_action, name="action"),
    path("<int:pk>/field/", views_field.field_page, name="field"),
    path("<int:pk>/assess/", views_pickers.case_assess, name="assess"),
    path("<int:pk>/record/verify/", views.verify, name="verify"),
    path("<int:pk>/record/<int:seq>/document/", views.document_preview, name="document"),
    path("<int:pk>/evidence/<int:evidence_id>/file/", views.evidence_file, name="evidence_file"),
]
