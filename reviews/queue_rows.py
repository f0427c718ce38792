"""The review queue's rows as the page shows them: their texts made once per page and their HTML written here.

The queue lists 50 plans a page. Django's template engine spent a third of the page's time on the row loop (a
dozen variables, filters, an `if` and two inner loops per row); the same markup formatted in Python costs a few
per cent of that. The markup is the template's, cell for cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from html import escape
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format, localize
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import ngettext

from institutions.enums import InstitutionKind
from plans.enums import PlanStatus
from plans.rules.facts import rule_label, rule_names
from reviews.queues import is_current
from rounds.models import Round

# What a row shows or needs, read as values() (dicts, not model instances: building 50 plans with their
# institution, bureau, round and check was a seventh of the page's CPU). A plan without a stored check has None
# for the check's columns (its status is never empty otherwise).
COLUMNS = (
    "id",
    "round_id",
    "status",
    "submitted_at",
    "round__year",
    "round__season",
    "institution__name",
    "institution__kind",
    "institution__bureau__name",
    "review_check__status",
    "review_check__submitted_at",
    "review_check__errors",
    "review_check__warnings",
    "review_check__codes",
)

# The template's row with its whitespace, so that the page is the same byte for byte.
ROW = (
    '\n  <tr data-plan="{}">\n'
    "    <td>{}</td>\n"
    '    <td><a href="{}">{}</a></td>\n'
    "    <td>{}</td>\n"
    "    <td>{}</td>\n"
    "    <td>{}</td>\n"
    "    <td>{}</td>\n"
    "    <td>{}</td>\n"
    '    <td class="text-end">{}</td>\n'
    '    <td class="text-end">{}</td>\n'
    "    <td>{}\n      {}</td>\n"
    "  </tr>\n  \n  "
)
TICK = '<input type="checkbox" class="form-check-input" name="plans" value="{}" aria-label="{} {}">'
BADGE = '<span class="badge text-bg-{}">{}</span> '
TAG = '<span class="badge text-bg-light border" data-testid="rule-tag">{}</span> '


@dataclass(frozen=True)
class Row:
    """A queue row's texts, made once per page: the labels of a page of 50 plans read from one dict each rather
    than through get_FOO_display(), str(round) and a {% url %} per row."""

    plan: dict[str, Any]  # its COLUMNS
    lines: int
    planned: int
    url: str
    kind: str
    round: str
    status: str
    badges: list[tuple[str, str]]  # (Bootstrap colour, text): errors, warnings
    tags: list[str]  # the rules broken

    def html(self, actionable: str | None, figure: Callable[[int], str] = localize) -> str:
        """The row's <tr>; a plan in the `actionable` status gets its tick box for the bulk approval.

        Every text is escaped with html.escape, which is what Django's escape does (conditional_escape and
        format_html spent three quarters of the time of this function on their lazy-string checks)."""
        plan = self.plan
        name, label, submitted = escape(plan["institution__name"]), escape(self.round), plan["submitted_at"]
        return ROW.format(
            plan["id"],
            TICK.format(plan["id"], name, label) if plan["status"] == actionable else "",
            escape(self.url),
            name,
            escape(plan["institution__bureau__name"]),
            escape(self.kind),
            label,
            escape(self.status),
            date_format(localtime(submitted), "Y-m-d H:i") if submitted else "",
            figure(self.lines),
            figure(self.planned),
            "".join(BADGE.format(colour, escape(text)) for colour, text in self.badges),
            "".join(TAG.format(escape(tag)) for tag in self.tags),
        )


def rows_html(rows: list[Row], actionable: str | None) -> SafeString:
    """The page's rows, one after the other, escaped (Row.html); each figure localized once a page (most plans'
    line counts are alike; localize() reads three locale formats for each)."""
    figure = cache(localize)
    return SafeString("".join(row.html(actionable, figure) for row in rows))


def page_rows(plans: list[dict[str, Any]], figures: dict[int, tuple[int, int | None]]) -> list[Row]:
    """The rows of `plans` (dicts of COLUMNS) with their line `figures` (queues.line_figures)."""
    # The labels translated once, not once a row (they are lazy).
    kinds = {kind: str(label) for kind, label in InstitutionKind.choices}
    statuses = {status: str(label) for status, label in PlanStatus.choices}
    names = rule_names()
    rounds: dict[int, str] = {}
    url = reverse("review_plan", args=[0]).removesuffix("0/")
    rows = []
    for plan in plans:
        checked = plan["review_check__status"] is not None
        if plan["round_id"] not in rounds:
            rounds[plan["round_id"]] = str(Round(year=plan["round__year"], season=plan["round__season"]))
        lines, planned = figures.get(plan["id"], (0, None))
        kind, status, codes = plan["institution__kind"], plan["status"], plan["review_check__codes"]
        rows.append(
            Row(
                plan=plan,
                lines=lines,
                planned=planned or 0,
                url=f"{url}{plan['id']}/",
                kind=kinds.get(kind, kind),
                round=rounds[plan["round_id"]],
                status=statuses.get(status, status),
                badges=_badges(plan["review_check__errors"], plan["review_check__warnings"]) if checked else [],
                tags=[rule_label(code, names) for code in codes.split(",") if code] if checked else [],
            )
        )
    return rows


def stale(plans: list[dict[str, Any]]) -> list[int]:
    """The ids of `plans` (dicts of COLUMNS) whose stored check is not current (queues.is_current)."""
    return [
        plan["id"]
        for plan in plans
        if not is_current(
            plan["status"], plan["submitted_at"], plan["review_check__status"], plan["review_check__submitted_at"]
        )
    ]


def _badges(errors: int, warnings: int) -> list[tuple[str, str]]:
    badges = []
    if errors:
        badges.append(("danger", ngettext("%(n)s error", "%(n)s errors", errors) % {"n": errors}))
    if warnings:
        badges.append(("warning", ngettext("%(n)s warning", "%(n)s warnings", warnings) % {"n": warnings}))
    return badges
