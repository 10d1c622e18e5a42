"""URLs for the documents API tests until the lead mounts ``zhifa.documents.api.router`` on the
root API: a second NinjaAPI carrying only this router (with the root's error handlers), tried
before the project's URLs."""
from django.urls import include, path
from ninja import NinjaAPI

from zhifa import api as root
from zhifa.core.api_auth import STAFF_AUTH
from zhifa.documents.api import router

_mounted = any(r is router for _, r in getattr(root.api, "_routers", []))

if _mounted:
    urlpatterns = [path("", include("zhifa.urls"))]
else:
    documents_api = NinjaAPI(title="documents-test", urls_namespace="documents_test_api", auth=STAFF_AUTH)
    for exc_class, handler in root.api._exception_handlers.items():
        documents_api.add_exception_handler(exc_class, handler)
    documents_api.add_router("/", router)
    urlpatterns = [path("api/v1/", documents_api.urls), path("", include("zhifa.urls"))]
