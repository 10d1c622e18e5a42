"""Supervision (执法监督, R31, R32, R43): the pure rules. No Django, no database, no clock.

- ``casefile``: the procedural order of a case file (卷宗), its manifest and binding hash, page numbers.
- ``scoring``: evaluation sheets (评查表) as data, their validation, and the score and grade of an
  evaluation (veto → 0 and 不合格; no item below 0).
- ``sampling``: the verifiable random sample of closed case files (commit, reveal, re-run).
- ``notices``: supervision notices (行政执法监督通知书) and their rectification loop.
"""
from __future__ import annotations

from .codes import *  # noqa: F401,F403
