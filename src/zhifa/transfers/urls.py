"""Pages of transfers (移送台账); the JSON API is in ``api.py``."""
from django.urls import path

from . import views

app_name = "transfers"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("new/", views.report, name="report"),
    path("inward/new/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/actions/<str:code>/", views.act, name="act"),
]
