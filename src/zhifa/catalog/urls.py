from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("items/", views.item_list, name="item_list"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
]

from . import views_assess  # noqa: E402  (discretion pages, R10)

urlpatterns += [
    path("assess/", views_assess.assess_index, name="assess_index"),
    path("items/<str:code>/assess/", views_assess.assess_item, name="item_assess"),
]

from . import views_lists  # noqa: E402  (the lists, R11–R13)

urlpatterns += [path("lists/", views_lists.lists, name="lists")]
