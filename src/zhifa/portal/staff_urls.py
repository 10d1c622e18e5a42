"""The staff side of complaints (投诉举报办理), mounted at ``/complaints/``."""
from django.urls import path

from . import views

app_name = "complaints"
urlpatterns = [
    path("", views.staff_list, name="list"),
    path("<int:complaint_id>/", views.staff_detail, name="detail"),
]
