"""Supervision use cases (执法监督), one module per chapter: ``casefiles`` (卷宗),
``evaluation`` (评查表、评查计划、抽取、评查), ``notices`` (监督通知书与整改)."""
from .casefiles import bind_case_file, bind_for_archive, ensure_case_file_pdf  # noqa: F401
from .evaluation import (assign_evaluation, commit_sample, conflicts, create_plan, draw_sample, load_default_sheet,  # noqa: F401
                         plan_in_scope, prechecks, publish_sheet, save_sheet_draft, sheet_rules, submit_evaluation,
                         import_sheet_file, publish_plan_results)
from .notices import (act_on_notice, ensure_notice_document, escalation_settings, issue_notice, notice_kinds,  # noqa: F401
                      notices_in_scope, sweep_overdue as sweep_notices)
from .accountability import act_on_record, grounds, open_record, records_in_scope, report  # noqa: F401
from .alerts import act_on_alert, mark_no_occurrence, run_alerts, sweep as sweep_alerts, withdraw_no_occurrence  # noqa: F401
from .statistics import rebuild as rebuild_statistics, refresh as refresh_statistics  # noqa: F401
