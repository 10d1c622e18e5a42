"""The supervision tests reuse the case tests' world: a penalty item, actors, the frozen clock,
``walk(case, to)``."""
from tests.cases.conftest import cw, deferred_documents, frozen_clock  # noqa: F401
