"""Masks of personal data on the staff pages (core/security/personal.py): ``{% load personal %}``,
``{{ value|id_masked:full }}``, ``{{ value|phone_masked:full }}``, ``{{ value|address_masked:full }}``
— the value itself when ``full`` is true, else masked (``core.redaction``)."""
from __future__ import annotations

from django import template

from zhifa.core import redaction

register = template.Library()


@register.filter
def id_masked(value, full=False):
    return value if full or not value else redaction.mask_id_number(str(value))


@register.filter
def phone_masked(value, full=False):
    return value if full or not value else redaction.mask_phone(str(value))


@register.filter
def address_masked(value, full=False):
    return value if full or not value else redaction.mask_address(str(value))
