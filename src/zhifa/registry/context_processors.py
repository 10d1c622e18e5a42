from .access import request_actor


def actor(request):
    """Expose the resolved actor to every template as ``actor``."""
    return {"actor": request_actor(request)}
