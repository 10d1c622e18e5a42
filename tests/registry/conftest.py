"""Fixtures of the registry's page tests (and the workbench's, which imports them)."""
from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PASSWORD


@pytest.fixture
def client_as(world):
    def make(username: str | None) -> Client:
        client = Client()
        if username:
            assert client.login(username=username, password=PASSWORD)
        return client

    return make
