from django.urls import path

from . import views, views_statistics

app_name = "supervision"
urlpatterns = [
    path("records/", views.records, name="records"),
    path("records/<str:stream>/", views.stream, name="stream"),
    path("case-files/<int:case_id>/", views.case_file, name="case_file"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:plan_id>/", views.plan, name="plan"),
    path("evaluations/", views.evaluations, name="evaluations"),
    path("evaluations/<int:evaluation_id>/", views.evaluation, name="evaluation"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:notice_id>/", views.notice, name="notice"),
    path("accountability/", views.accountability, name="accountability"),
    path("statistics/", views_statistics.dashboard, name="statistics"),
    path("statistics/bodies/<int:body_id>/", views_statistics.body_dashboard, name="body_statistics"),
    path("reports/congress/", views_statistics.congress, name="congress"),
]

# Annual assessment (年度考核, R36) and officer workload and risk (R38): assessment_views.
from . import assessment_views  # noqa: E402

urlpatterns += [
    path("assessments/", assessment_views.assessments, name="assessments"),
    path("assessments/<int:year>/<int:body_id>/<slug:code>/", assessment_views.assessment_detail, name="assessment_detail"),
    path("workload/", assessment_views.workload_page, name="workload"),
]

from . import views_alerts  # noqa: E402  (alerts, R33)

urlpatterns += [
    path("alerts/", views_alerts.alerts, name="alerts"),
    path("alerts/<int:alert_id>/", views_alerts.alert, name="alert"),
    path("alert-rules/", views_alerts.alert_rules, name="alert_rules"),
]

from . import views_sheets  # noqa: E402  (evaluation sheets: versions, Excel import, publication)

urlpatterns += [path("sheets/", views_sheets.sheets, name="sheets")]
