"""Password policy (口令复杂度与定期更换, GB/T 22239-2019 8.1.4.1 a): validators of
``AUTH_PASSWORD_VALIDATORS`` beside Django's (length, similarity to the account, the 20,000 common
passwords, all digits):

- ``CharacterClassValidator``: at least three of lower-case letters, upper-case letters, digits
  and other characters;
- ``DictionaryLikeValidator``: no password whose letters are a common password or a keyboard or
  alphabet run once digits and symbols are stripped (``Password@2026``, ``Qwerty!2026``), and
  none made of one short unit repeated or a run of digits and letters (``2026202620``,
  ``abcabcabc1A``);
- ``HistoryValidator``: none of the user's last ``ZHIFA_PASSWORD_HISTORY`` passwords; when a
  password is set and saved it is kept in ``PasswordHistory`` and every API token of the user
  is revoked (a changed password ends every session: Django's session hash does the same for pages).

``password_expired(user)``: the password is older than ``ZHIFA_PASSWORD_MAX_AGE_DAYS`` (0: never).
"""
from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils import timezone

_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz", "1234567890", "01234567890")


class CharacterClassValidator:
    """At least ``min_classes`` of the four character classes."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        classes = sum(bool(re.search(pattern, password)) for pattern in (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^A-Za-z0-9]"))
        if classes < self.min_classes:
            raise ValidationError(
                f"密码须至少包含大写字母、小写字母、数字、其他符号中的 {self.min_classes} 类。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"密码须至少包含大写字母、小写字母、数字、其他符号中的 {self.min_classes} 类。"


def _is_run(text: str) -> bool:
    """A run along a keyboard row or the alphabet, forwards or backwards (``qwerty``, ``4321``)."""
    if len(text) < 3:
        return False
    return any(text in row or text in row[::-1] for row in _KEYBOARD_ROWS)


def _is_repeated(text: str) -> bool:
    """One unit of at most half the length repeated, possibly cut short (``2026202620``)."""
    for size in range(1, len(text) // 2 + 1):
        unit = text[:size]
        if (unit * (len(text) // size + 1))[: len(text)] == text:
            return True
    return False


class DictionaryLikeValidator:
    """Refuses passwords built on a dictionary word or a pattern (see the module)."""

    _common = None

    def _words(self) -> set[str]:
        if DictionaryLikeValidator._common is None:
            DictionaryLikeValidator._common = CommonPasswordValidator().passwords
        return DictionaryLikeValidator._common

    def validate(self, password, user=None):
        lowered = password.lower()
        letters = re.sub(r"[^a-z]", "", lowered)
        digits = re.sub(r"[^0-9]", "", lowered)
        bare = re.sub(r"[^a-z0-9]", "", lowered)
        if _is_repeated(lowered) or _is_repeated(bare) or _is_run(bare):
            raise ValidationError("密码不能是重复或连续的字符（如 2026202620、abcabc、qwerty）。", code="password_pattern")
        if (letters and (letters in self._words() or _is_run(letters) or _is_repeated(letters))) and (
            not digits or _is_run(digits) or _is_repeated(digits) or len(letters) >= len(bare) // 2
        ):
            raise ValidationError(
                "密码不能由常见单词或键盘序列加数字、符号组成（如 Password@2026、Qwerty!123）。",
                code="password_dictionary",
            )

    def get_help_text(self):
        return "密码不能由常见单词、键盘序列或重复字符构成。"


def history_size() -> int:
    return settings.ZHIFA.get("PASSWORD_HISTORY", 5)


class HistoryValidator:
    """Refuses the user's last passwords; keeps the new one and revokes the user's tokens."""

    def validate(self, password, user=None):
        if user is None or user.pk is None or not history_size():
            return
        from zhifa.core.models import PasswordHistory

        recent = PasswordHistory.objects.filter(user=user).order_by("-changed_at", "-pk")[: history_size()]
        if any(check_password(password, row.password) for row in recent) or (
            user.password and user.check_password(password)
        ):
            raise ValidationError(f"新密码不能与最近 {history_size()} 次使用过的密码相同。", code="password_reused")

    def password_changed(self, password, user=None):
        """Called by ``User.save`` after ``set_password`` (Django's ``password_changed`` hook)."""
        if user is None or user.pk is None:
            return
        from zhifa.core.models import ApiToken, PasswordHistory

        revoked, _ = ApiToken.objects.filter(user=user).delete()
        if PasswordHistory.objects.filter(user=user).exists() or revoked:  # not an account's first password
            from zhifa.core.security import audit

            audit.record("password_changed", object=f"user:{user.pk}", detail={"account": user.get_username(), "tokens_revoked": revoked})
        PasswordHistory.objects.create(user=user, password=user.password)  # the new hash, as saved
        keep = history_size() or 1
        old = PasswordHistory.objects.filter(user=user).order_by("-changed_at", "-pk").values_list("pk", flat=True)[keep:]
        PasswordHistory.objects.filter(pk__in=list(old)).delete()

    def get_help_text(self):
        return f"新密码不能与最近 {history_size()} 次使用过的密码相同。"


def password_changed_at(user) -> dt.datetime | None:
    from zhifa.core.models import PasswordHistory

    return (
        PasswordHistory.objects.filter(user=user).order_by("-changed_at").values_list("changed_at", flat=True).first()
    )


def password_expired(user) -> bool:
    """Is the password older than ``ZHIFA_PASSWORD_MAX_AGE_DAYS``? A user whose password was never
    changed through zhifa counts from the account's creation."""
    days = settings.ZHIFA.get("PASSWORD_MAX_AGE_DAYS", 0)
    if not days or user is None or not user.is_authenticated:
        return False
    since = password_changed_at(user) or user.date_joined
    return since is not None and timezone.now() - since > dt.timedelta(days=days)
