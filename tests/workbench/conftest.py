"""The workbench's pages log in like the registry's."""
from tests.registry.conftest import client_as  # noqa: F401 — the shared fixture
