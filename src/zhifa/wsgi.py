import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
application = get_wsgi_application()

# No server banner (docs/security.md): gunicorn writes "Server: gunicorn" on every answer; its
# HTTP module reads the name when each answer starts, so blanking it here (the worker imports
# this module before it serves) leaves the header empty.
if "gunicorn.http.wsgi" in sys.modules:
    sys.modules["gunicorn.http.wsgi"].SERVER = ""
