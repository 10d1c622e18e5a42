"""Pure legal guards of the case workflow (案件办理规则, legal-rules.md §A and §B).

No Django, no database, no clock: every function takes plain values (dates, amounts, kinds,
small frozen dataclasses) and returns a list of ``Violation`` (empty = allowed) or a value.
``services`` gathers the facts, calls every guard an action needs and refuses with all of their
violations at once. Every threshold is cited beside it; thresholds that differ by sector or place
are arguments (their defaults live in ``settings.ZHIFA`` / ``CasePolicy``), never constants.
"""
from __future__ import annotations

# The package re-exports every public name of its modules (and the names they import, as the single
# module did): callers write ``rules.check_limitation``, ``rules.CasePolicy``, ``rules.WRONG_STATE``.
from .codes import *  # noqa: F401,F403
from .policy import *  # noqa: F401,F403
from .filing import *  # noqa: F401,F403
from .penalties import *  # noqa: F401,F403
from .decision import *  # noqa: F401,F403
from .execution import *  # noqa: F401,F403
