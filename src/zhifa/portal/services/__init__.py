"""The portal's use cases: complaints and reports (``complaints``) and the guidance library's
admin saves (``guidance``)."""
from .complaints import act_on_complaint, file_complaint  # noqa: F401
from .guidance import delete_by_admin, save_by_admin  # noqa: F401
