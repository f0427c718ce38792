"""The one markup of a violation, wherever a page lists violations (plans/_violation.html and the
`{% violations %}` tag render it): written in Python because a plan page shows dozens of them per request."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from plans.rules import Violation


def violation_html(v: Violation, *, user) -> SafeString:
    """One violation: its severity, rule label and message; R8 links an institution's user to record the
    registration."""
    error = v.is_error
    link = ""
    if v.code == "R8" and getattr(user, "institution_id", None):
        link = format_html(
            ' <a href="{}" data-testid="record-registration">{}</a>',
            reverse("my_institution"),
            _("Record the registration"),
        )
    return format_html(
        '<div class="small {}" data-rule="{}"><i class="bi {}"></i> <strong>{}</strong> {}{}</div>',
        "violation-error" if error else "violation-warning",
        v.code,
        "bi-x-octagon" if error else "bi-exclamation-triangle",
        v.label,
        v.message,
        link,
    )


def violations_html(violations: Iterable[Violation], *, user) -> SafeString:
    """Each of `violations` as violation_html, one a line."""
    return format_html_join("", "{}\n", ((violation_html(v, user=user),) for v in violations))
