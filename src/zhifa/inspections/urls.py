from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("items/", views.item_list, name="item_list"),
    path("entities/", views.entity_list, name="entity_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("draws/<int:pk>/", views.draw_detail, name="draw_detail"),
    path("results/<int:pk>/", views.record_result, name="record_result"),
]
