from django.urls import path

from . import views, views_inspectors

app_name = "inspections"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("items/", views.item_list, name="item_list"),
    path("entities/", views.entity_list, name="entity_list"),
    path("inspectors/", views_inspectors.inspector_list, name="inspector_list"),
    path("inspectors/<int:pk>/", views_inspectors.inspector_edit, name="inspector_edit"),
    path("conflicts/", views_inspectors.conflict_list, name="conflict_list"),
    path("conflicts/entities/", views_inspectors.entity_search, name="entity_search"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("draws/<int:pk>/", views.draw_detail, name="draw_detail"),
    path("results/<int:pk>/", views.record_result, name="record_result"),
    path("mine/", views.mine, name="mine"),
    path("sw.js", views.service_worker, name="service_worker"),  # scope /inspections/ (离线现场执法, B9)
    path("photos/<int:pk>/", views.photo_file, name="photo"),
    path("photos/<int:pk>/thumb/", views.photo_file, {"thumb": True}, name="photo_thumb"),
]
