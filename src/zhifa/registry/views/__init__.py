"""Staff pages of the registry (R01–R08), one module per page group: bodies and the
jurisdiction tree, officers and their writes, registry health, imports; and the registry's tiles
on the workbench (``home``).

Thin: parse the request, ask ``access``, ``selectors`` and ``services``, render. Every query is
scoped through ``registry.access``; nothing here writes a model (imports go through
``core.importing``). Lists use the toolkit of ``core.listing``.
"""
from .bodies import body_detail, body_list, jurisdiction_tree, register_officer
from .common import ActionPanel
from .health import health
from .imports import import_job, import_job_run, imports
from .officers import OFFICER_ACTIONS, officer_action, officer_detail, officer_list

__all__ = [
    "ActionPanel", "OFFICER_ACTIONS", "body_detail", "body_list", "health", "import_job", "import_job_run", "imports",
    "jurisdiction_tree", "officer_action", "officer_detail", "officer_list", "register_officer",
]
