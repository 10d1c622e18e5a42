"""Test URLconf: the project's URLs with the discretion router mounted, until the lead mounts
``zhifa.catalog.api_assess.router`` in ``zhifa/api.py`` (then this only re-exports the URLs)."""
from django.urls import path

from zhifa.api import api
from zhifa.catalog.api_assess import router

if getattr(router, "api", None) is None:
    api.add_router("/", router)
    from zhifa import urls as project_urls

    urlpatterns = [path("api/v1/", api.urls)] + [p for p in project_urls.urlpatterns if str(p.pattern) != "api/v1/"]
else:
    from zhifa.urls import urlpatterns  # noqa: F401
