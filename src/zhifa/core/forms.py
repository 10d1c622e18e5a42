"""Form pieces shared by every app's pages."""
from __future__ import annotations

from django import forms


def mark(field: forms.Field, css: str) -> forms.Field:
    """A layout hint read by ``partials/field.html`` (``grow`` = a wide box, ``wide`` = a full row)."""
    field.css = css
    return field


class DateInput(forms.DateInput):
    """An HTML ``<input type="date">`` (ISO dates, the browser's date picker)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
