"""Issue 15 §4 in a real browser: the Content-Security-Policy (no inline script) blocks nothing
the pages need — no CSP violation on the staff pages, and the behaviours moved out of inline
handlers (select that submits its form, print button) still work."""
from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]  # a live server: ordered with the transactional tests

PAGES = ["/", "/officers/", "/bodies/", "/jurisdictions/", "/cases/", "/inspections/", "/catalog/items/", "/security/audit/"]


def test_no_csp_violation_on_staff_pages_and_autosubmit_works(page_as, served):
    page = page_as("admin")
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    for path in PAGES:
        response = page.goto(f"{served.url}{path}")
        assert response.status < 500, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
    page.goto(f"{served.url}/jurisdictions/")
    select = page.locator("select[data-autosubmit]")
    if select.count():
        value = select.locator("option").nth(1).get_attribute("value")
        select.select_option(value)
        page.wait_for_url(f"**root={value}*")
    assert violations == []
