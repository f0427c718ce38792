"""The one markup of a violation, wherever a page lists violations (plans/_violation.html and the
`{% violations %}` tag render it): written in Python because a plan page shows dozens of them per request, and
with str.format and html.escape (what Django's escape does) rather than format_html, whose lazy-text checks cost
more than the formatting on every argument."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from plans.rules import Violation

MARKUP = '<div class="small {}" data-rule="{}"><i class="bi {}"></i> <strong>{}</strong> {}{}</div>'
ERROR = ("violation-error", "bi-x-octagon")
WARNING = ("violation-warning", "bi-exclamation-triangle")
LINK = ' <a href="{}" data-testid="record-registration">{}</a>'


def violation_html(v: Violation, *, user) -> SafeString:
    """One violation: its severity, rule label and message; R8 links an institution's user to record the
    registration."""
    return SafeString(_markup(v, _registration_link(user) if v.code == "R8" else ""))


def violations_html(violations: Iterable[Violation], *, user) -> SafeString:
    """Each of `violations` as violation_html, one a line."""
    link: str | None = None  # made once, for the first R8
    parts = []
    for v in violations:
        if v.code == "R8":
            link = _registration_link(user) if link is None else link
            parts.append(_markup(v, link) + "\n")
        else:
            parts.append(_markup(v, "") + "\n")
    return SafeString("".join(parts))


def _markup(v: Violation, link: str) -> str:
    style, icon = ERROR if v.is_error else WARNING
    return MARKUP.format(style, escape(v.code), icon, escape(str(v.label)), escape(str(v.message)), link)


def _registration_link(user) -> str:
    """The link for an institution's user to record a national platform registration (R8); none for others."""
    if not getattr(user, "institution_id", None):
        return ""
    return LINK.format(escape(reverse("my_institution")), escape(_("Record the registration")))
