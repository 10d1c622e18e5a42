"""The staff side of the portal's publications (政务公开管理), mounted at ``/openness/``."""
from django.urls import path

from . import views_staff

app_name = "openness"
urlpatterns = [
    path("plans/", views_staff.plans, name="plans"),
    path("plans/<int:plan_id>/review/", views_staff.plan_review, name="plan_review"),
    path("articles/", views_staff.articles, name="articles"),
    path("articles/<int:article_id>/review/", views_staff.article_review, name="article_review"),
    path("contacts/", views_staff.contacts, name="contacts"),
    path("contacts/<int:contact_id>/end/", views_staff.contact_end, name="contact_end"),
]
