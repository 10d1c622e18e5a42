"""The portal's use cases: complaints and reports (``complaints``), the guidance library's
admin saves (``guidance``), ratings of acts (``ratings``), filed work plans (``plans``),
law-popularisation articles (``articles``), contact points and special supervisors
(``contacts``)."""
from .articles import review_article, submit_article  # noqa: F401
from .complaints import act_on_complaint, file_complaint  # noqa: F401
from .contacts import end_contact, register_contact  # noqa: F401
from .guidance import delete_by_admin, save_by_admin  # noqa: F401
from .plans import file_plan, review_plan  # noqa: F401
from .ratings import rate_act  # noqa: F401
