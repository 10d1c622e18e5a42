"""Supervision use cases (执法监督), one module per chapter: ``casefiles`` (卷宗),
``evaluation`` (评查表、评查计划、抽取、评查), ``notices`` (监督通知书与整改)."""
from .casefiles import bind_case_file, bind_for_archive, ensure_case_file_pdf  # noqa: F401
