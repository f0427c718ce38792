"""OneX's password rules beside Django's own (length 10, common passwords): settings.AUTH_PASSWORD_VALIDATORS.

Each validator names its rule and its numbers in the message, so a person knows what to change.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CHARACTER_CLASSES = 4  # lowercase, uppercase, digits, symbols (anything else, Chinese characters included)


def character_classes(password: str) -> int:
    """How many of the four classes (lowercase, uppercase, digits, symbols) `password` uses."""
    lower = any(ch.islower() for ch in password)
    upper = any(ch.isupper() for ch in password)
    digit = any(ch.isdigit() for ch in password)
    other = any(not (ch.islower() or ch.isupper() or ch.isdigit()) for ch in password)
    return lower + upper + digit + other


class CharacterClassesValidator:
    """At least `min_classes` of lowercase letters, uppercase letters, digits and symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        used = character_classes(password)
        if used < self.min_classes:
            raise ValidationError(
                _(
                    "This password uses %(used)d of the %(classes)d kinds of character (lowercase letters, uppercase "
                    "letters, digits, symbols); it must use at least %(min)d."
                ),
                code="password_too_few_character_classes",
                params={"used": used, "classes": CHARACTER_CLASSES, "min": self.min_classes},
            )

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must use at least %(min)d kind of character of these %(classes)d: lowercase letters, "
            "uppercase letters, digits, symbols.",
            "Your password must use at least %(min)d kinds of character of these %(classes)d: lowercase letters, "
            "uppercase letters, digits, symbols.",
            self.min_classes,
        ) % {"min": self.min_classes, "classes": CHARACTER_CLASSES}


def _folded(text: str) -> str:
    # Full-width letters and digits become ASCII, case is ignored; Chinese characters stay as they are.
    return unicodedata.normalize("NFKC", text).casefold()


class NotContainingNamesValidator:
    """Not the username, nor the name of the user's institution or bureau, anywhere in the password.

    Names shorter than `min_name_length` are skipped: forbidding every password that holds two given letters
    would refuse good passwords and add no safety.
    """

    def __init__(self, min_name_length: int = 3):
        self.min_name_length = min_name_length

    def names(self, user) -> list[tuple[str, str]]:
        """(what, name) pairs the password must not contain."""
        found = [(_("your username"), getattr(user, "username", "") or "")]
        institution = getattr(user, "institution", None) if getattr(user, "institution_id", None) else None
        if institution is not None:
            found.append((_("your institution's name"), institution.name))
        bureau = getattr(user, "bureau", None) if getattr(user, "bureau_id", None) else None
        if bureau is not None:
            # The bare city name ("合肥市") also catches the bureau's full name ("合肥市教育局").
            found.append((_("your bureau's name"), bureau.name))
        return [(what, name) for what, name in found if len(name.strip()) >= self.min_name_length]

    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        folded = _folded(password)
        for what, name in self.names(user):
            if _folded(name.strip()) in folded:
                raise ValidationError(
                    _("This password contains %(what)s (“%(name)s”)."),
                    code="password_contains_name",
                    params={"what": what, "name": name},
                )

    def get_help_text(self) -> str:
        return _("Your password must not contain your username or the name of your institution or bureau.")
