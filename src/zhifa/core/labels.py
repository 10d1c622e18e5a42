"""Enumerations whose members carry their Chinese label beside their code — pure (no Django), for the
``rules`` modules; the models use Django's ``TextChoices`` the same way."""
from __future__ import annotations

from enum import Enum


class Labelled(str, Enum):
    """A ``str`` enum written ``CODE = "code", "中文"``: the member's value is the code (what is
    stored and sent), ``label`` its Chinese name (what is shown)."""

    label: str

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member
