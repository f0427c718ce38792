"""A line's own problems, whichever way it comes in: its certificate offers its level, it names a major, and its
headcount is a whole number above zero.

The one check for the plan page and the API (`plans.services.add_line` / `update_line`), the Excel upload
(`plans.line_import`) and a new line asked for in an adjustment (`adjustments.rules`). Which levels a certificate
offers is asked of the catalogue (`CertificateLevel.objects.offered()`) by the caller, once for many lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from catalog.enums import Level
from catalog.models import Certificate


def line_problems(
    *, certificate: Certificate | None, level: str | None, major_name: str, headcount: object, offered: Sequence[str]
) -> list[str]:
    """What is wrong with one line, one message each (empty: nothing). `offered` are the levels `certificate`
    offers; the level is not judged when the certificate or the level is unknown (the caller says so itself).
    `headcount` may be the text of a spreadsheet cell."""
    problems = []
    if certificate is not None and level is not None and level not in offered:
        problems.append(
            _("%(certificate)s does not offer %(level)s; it offers: %(levels)s")
            % {
                "certificate": certificate.short_name,
                "level": _level_name(level),
                "levels": "、".join(_level_name(lv) for lv in offered) or "—",
            }
        )
    if not major_name.strip():
        problems.append(_("the major is empty"))
    if not _whole_above_zero(headcount):
        problems.append(_("the headcount “%(value)s” is not a whole number above zero") % {"value": headcount})
    return problems


def _whole_above_zero(value: object) -> bool:
    if isinstance(value, str):
        return value.isdigit() and int(value) > 0
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _level_name(level: str) -> str:
    return Level(level).chinese if level in Level.values else level
