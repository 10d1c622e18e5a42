from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("records/", views.records, name="records"),
    path("records/<str:stream>/", views.stream, name="stream"),
]
