"""The password change page (修改密码): Django's view with the policy of
``AUTH_PASSWORD_VALIDATORS`` (core/security/passwords.py); the session stays logged in, every
other session and every API token of the user ends."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = "/"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "密码已修改；其他设备上的登录和全部接口令牌已失效。")
        return response
