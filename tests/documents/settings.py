"""Settings for running the documents tests before the app is in ``zhifa.settings``:
``pytest --ds tests.documents.settings tests/documents``. Once the lead has added
``"zhifa.documents"`` to INSTALLED_APPS this module only re-exports the project settings."""
from zhifa.settings import *  # noqa: F401,F403
from zhifa.settings import INSTALLED_APPS

if "zhifa.documents" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "zhifa.documents"]
