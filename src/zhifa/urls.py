from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from zhifa.api import api
from zhifa.core.security.views import PasswordChange, audit_page
from zhifa.core.security.views import account as account_page
from zhifa.core.security.totp_views import otp_setup, otp_verify
from zhifa.core.work_views import job_file, job_status

# JSON under /api/ (contract.md), the Chinese pages elsewhere; in debug too (error_pages.py).
handler404 = "zhifa.error_pages.not_found"
handler400 = "zhifa.error_pages.bad_request"
handler500 = "zhifa.error_pages.server_error"

admin.site.site_header = "zhifa 行政执法平台 · 系统管理"
admin.site.site_title = "zhifa 系统管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", PasswordChange.as_view(), name="password_change"),
    path("accounts/login/otp/", otp_verify, name="otp_verify"),
    path("account/", account_page, name="account"),
    path("account/otp/", otp_setup, name="otp_setup"),
    path("security/audit/", audit_page, name="security_audit"),
    path("work/<int:pk>/", job_status, name="work_job"),  # long work's progress (core/work.py)
    path("work/<int:pk>/file", job_file, name="work_file"),
    path("catalog/", include("zhifa.catalog.urls")),
    path("cases/", include("zhifa.cases.urls")),
    path("inspections/", include("zhifa.inspections.urls")),
    path("transfers/", include("zhifa.transfers.urls")),
    path("offsite/", include("zhifa.offsite.urls")),
    path("supervision/", include("zhifa.supervision.urls")),
    path("public/", include("zhifa.portal.urls")),
    path("complaints/", include("zhifa.portal.staff_urls")),
    path("openness/", include("zhifa.portal.open_urls")),
    path("", include("zhifa.workbench.urls")),
    path("", include("zhifa.registry.urls")),
]
