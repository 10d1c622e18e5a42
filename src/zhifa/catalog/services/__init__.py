"""Write use cases of the item catalogue (执法事项目录), one module per subject:

- ``items``: item versions (事项版本, R09) — ``revise_item``;
- ``delegations``: delegations and entrustments (赋权/委托, R03) — ``create_delegation``;
- ``benchmarks``: discretion benchmarks (裁量基准, R10) — ``publish_benchmark``;
- ``loading``: the bulk loaders outside ``core.importing`` — ``load_laws``, ``seed_default_lists``,
  ``load_demo_lists``, ``load_exemption_list``.

Every public function is a ``@use_case`` that records its entry (``item:<code>``,
``delegation:<id>``, ``benchmark:<id>``, ``list:<kind>``, ``import:<kind>``). The read helpers
re-exported here live in ``catalog/selectors.py``.

Item versions (R09).

Items are versioned, adjusted as laws change. A revision is a new row; the old row stays, with its
cases, benchmarks and list entries, as the version that applied until the day before the new one.

**Codes.** ``Item.code`` stays unique. The canonical code (e.g. ``SHJ-CF-0042``) always names the
*current* version, so every lookup by code (API, importers, the case workflow, the assess page)
gets the version in force now without change. A superseded version is archived under
``<code>@v<version>`` (``SHJ-CF-0042@v1``). The version in force on another day (the day of the
act, APL art.37) is found by ``item_version_on(code, day)``: one query over the canonical code and
its archived codes.

Visibility and permissions: the body's head or the administrator revises an item
(``access.can_manage_body``).
"""
from ..selectors import (  # noqa: F401 — re-exported: callers import them from services
    VERSION_SEPARATOR,
    archived_code,
    canonical_code,
    competence_of,
    item_version_on,
    versions_of,
)
from .delegations import create_delegation  # noqa: F401
from .items import ITEM_CODE_TAKEN, ITEM_NOT_CURRENT, ITEM_VERSION_DATE, REVISABLE_FIELDS, revise_item  # noqa: F401
from .benchmarks import publish_benchmark  # noqa: F401
from .loading import LawsRun, load_demo_lists, load_exemption_list, load_laws, seed_default_lists  # noqa: F401
from .registers import delete_by_admin, save_by_admin  # noqa: F401
