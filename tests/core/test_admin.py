"""core/admin.py: ``ReadOnlyAdmin``, the one read-only admin that the apps' admins build on."""
import pytest
from django.contrib import admin
from django.test import RequestFactory

from zhifa.cases.models import Case
from zhifa.core.admin import ReadOnlyAdmin
from zhifa.documents.models import Document
from zhifa.inspections.models import Draw, Plan


@pytest.mark.parametrize("model", [Document, Case, Plan, Draw])
def test_records_that_change_only_through_services_are_read_only_in_the_admin(model):
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, ReadOnlyAdmin)
    request = RequestFactory().get("/admin/")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
