"""Pages of off-site enforcement (非现场执法); the JSON API is in ``api.py``."""
from django.urls import path

from . import views

app_name = "offsite"
urlpatterns = [
    path("", views.device_list, name="device_list"),
    path("devices/new/", views.device_register, name="device_register"),
    path("devices/<int:pk>/", views.device_detail, name="device_detail"),
    path("review/", views.review_queue, name="review_queue"),
    path("captures/<int:pk>/review/", views.review, name="review"),
    path("captures/<int:pk>/case/", views.to_case, name="to_case"),
    path("captures/<int:pk>/file/", views.capture_file, name="capture_file"),
]
