"""The dashboard's figures, each one query over the rollups or snapshots, scoped to the user.

A figure is a small table (columns and rows); the chart, the HTML table and the Excel
download all draw the same rows. Every row links to the institutions behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Count, F, Q, Sum
from django.db.models.functions import Coalesce, Collate
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.numbers import round_half_up
from institutions.enums import InstitutionKind
from institutions.scope import scoped
from monitoring.checkpoint_totals import CheckpointTotal
from monitoring.enums import Standing
from monitoring.models import WORST_FIRST, CertificateProgress, InstitutionProgress, InstitutionSnapshot
from monitoring.rates import Figures
from monitoring.rollups import COUNTED, approved_lines

COUNTS = ("approved", "registered", "examined", "passed", "counted")
PLACEHOLDER = 987654321
SUMS = {
    "approved_sum": Coalesce(Sum("approved"), 0),
    "registered_sum": Coalesce(Sum("registered"), 0),
    "examined_sum": Coalesce(Sum("examined"), 0),
    "passed_sum": Coalesce(Sum("passed"), 0),
    "counted_sum": Coalesce(Sum("counted"), 0),
}
# The same keys from a row that is one institution already (a rollup or a snapshot row).
FROZEN = {f"{name}_sum": F(name) for name in COUNTS}
LINE_SUMS = {
    "approved_sum": Coalesce(Sum("approved_headcount"), 0),
    "registered_sum": Coalesce(Sum("progress__registered"), 0),
    "examined_sum": Coalesce(Sum("progress__examined"), 0),
    "passed_sum": Coalesce(Sum("progress__passed"), 0),
    "counted_sum": Coalesce(Sum(COUNTED), 0),
}
RATES = ("completion", "participation", "pass_rate", "target")
COUNT_COLUMNS: list[tuple[str, str | Promise]] = [
    ("approved", _("approved headcount")),
    ("registered", _("registered")),
    ("examined", _("examined")),
    ("passed", _("passed")),
    ("completion", _("completion rate (%)")),
    ("participation", _("participation rate (%)")),
    ("pass_rate", _("pass rate (%)")),
]


TITLES = {
    "bureaus": _("Completion by bureau"),
    "kinds": _("Completion by institution kind"),
    "certificates": _("Completion by certificate (top and bottom ten)"),
    "trend": _("Completion over the checkpoints"),
    "funnel": _("Planned, registered, examined, passed"),
}


def summed(row: Mapping[str, Any]) -> Figures:
    """The figures of a values() row holding the SUMS keys (beside its own: a name, an id, a count…)."""
    return Figures(
        row["approved_sum"], row["registered_sum"], row["examined_sum"], row["passed_sum"], row["counted_sum"]
    )


def drill_link(year: int, *keys: str) -> str:
    """The drill-down's address with a `{}` for the value of each of `keys`, reversed once for all of a figure's
    rows: `.format()` it with ids and kind values (nothing in them needs quoting)."""
    return reverse("monitoring:institutions") + f"?year={year}" + "".join(f"&{key}={{}}" for key in keys)


@dataclass
class Figure:
    name: str
    title: str | Promise  # text in the reader's language, translated when shown
    label: str | Promise  # the first column's heading
    rows: list[dict] = field(default_factory=list)
    total: int = 0
    chart: str = "bar"
    extra_columns: list[tuple[str, str | Promise]] = field(default_factory=list)

    @property
    def columns(self) -> list[tuple[str, str | Promise]]:
        return [("label", self.label), *self.extra_columns, *COUNT_COLUMNS]

    def add(self, label: str, figures: Figures, drill: str, **extra) -> None:
        self.rows.append(
            {
                "label": label,
                "approved": figures.approved,
                "registered": figures.registered,
                "examined": figures.examined,
                "passed": figures.passed,
                "completion": figures.completion,
                "participation": figures.participation,
                "pass_rate": figures.pass_rate,
                "drill": drill,
                **extra,
            }
        )

    def as_json(self) -> dict:
        rows = []
        for row in self.rows:
            plain = dict(row)
            for key in RATES:  # the only Decimals in a row
                if isinstance(plain.get(key), Decimal):
                    plain[key] = float(round_half_up(plain[key]))
            rows.append(plain)
        return {"name": self.name, "title": str(self.title), "chart": self.chart, "rows": rows}


def scoped_progress(user, year: int):
    return InstitutionProgress.objects.for_user(user).filter(year=year)


def progress_groups(user, year: int) -> list[dict]:
    """The rollups `user` sees summed by bureau and kind, in bureau order: the one query the bureau, kind and
    funnel figures share when the dashboard asks for its charts at once (three aggregates of the year's rollups
    were half of its database time)."""
    return list(
        scoped_progress(user, year)
        .values("institution__bureau_id", "institution__bureau__name", "institution__kind")
        .annotate(**SUMS)
        .order_by("institution__bureau_id", "institution__kind")
    )


def regrouped(groups: list[dict], *keys: str) -> list[dict]:
    """`groups` summed again by `keys`, in the order the keys first come; no keys: one row of everything."""
    rows: dict[tuple, dict] = {(): dict.fromkeys(SUMS, 0)} if not keys else {}
    for group in groups:
        key = tuple(group[name] for name in keys)
        row = rows.setdefault(key, {**{name: group[name] for name in keys}, **dict.fromkeys(SUMS, 0)})
        for name in SUMS:
            row[name] += group[name]
    return list(rows.values())


def by_bureau(user, year: int, *, groups: list[dict] | None = None) -> Figure:
    figure = Figure("bureaus", TITLES["bureaus"], _("bureau"))
    groups = progress_groups(user, year) if groups is None else groups
    rows = regrouped(groups, "institution__bureau_id", "institution__bureau__name")
    link = drill_link(year, "bureau")
    for row in rows:
        bureau = row["institution__bureau_id"]
        figure.add(row["institution__bureau__name"], summed(row), link.format(bureau), key=bureau)
    return figure


def by_kind(user, year: int, *, groups: list[dict] | None = None) -> Figure:
    figure = Figure("kinds", TITLES["kinds"], _("institution kind"))
    groups = progress_groups(user, year) if groups is None else groups
    found = {row["institution__kind"]: row for row in regrouped(groups, "institution__kind")}
    link = drill_link(year, "kind")
    for kind in InstitutionKind:
        if kind.value in found:
            figure.add(str(kind.label), summed(found[kind.value]), link.format(kind.value), key=kind.value)
    return figure


def by_certificate(user, year: int, *, ends: int | None = None) -> Figure:
    """Every certificate with approved lines, best completion first; with `ends`, only the best and the worst
    `ends` of them (what the chart draws: the top and bottom ten)."""
    figure = Figure("certificates", TITLES["certificates"], _("certificate"))
    if user.sees_everything:
        rows = (
            CertificateProgress.objects.filter(year=year, approved__gt=0)
            .values("certificate_id", "certificate__name")
            .annotate(**SUMS)
        )
    else:
        rows = _scoped_lines(user, year).values("certificate_id", "certificate__name").annotate(**LINE_SUMS)
    ranked = sorted(
        ((row, summed(row)) for row in rows.order_by()),
        key=lambda pair: (-(pair[1].completion or 0), pair[0]["certificate__name"]),
    )
    if ends and len(ranked) > 2 * ends:
        ranked = ranked[:ends] + ranked[-ends:]
    link = drill_link(year, "certificate")  # nationally several hundred certificates
    for row, figures in ranked:
        certificate = row["certificate_id"]
        figure.add(row["certificate__name"], figures, link.format(certificate), key=certificate)
    return figure


CHART_ENDS = 10  # the certificates' chart: the top and bottom ten


def charts(user, year: int) -> dict[str, dict]:
    """Every chart's figure as JSON by name, with the rows each chart draws (monitoring/dashboard.js)."""
    groups = progress_groups(user, year)
    built = {
        "bureaus": by_bureau(user, year, groups=groups),
        "kinds": by_kind(user, year, groups=groups),
        "certificates": by_certificate(user, year, ends=CHART_ENDS),
        "trend": trend(user, year),
        "funnel": funnel(user, year, groups=groups),
    }
    return {name: built[name].as_json() for name in FIGURES}


def _scoped_lines(user, year: int):
    return scoped(approved_lines(year), user, "plan__institution")


def trend(user, year: int) -> Figure:
    figure = Figure(
        "trend",
        TITLES["trend"],
        _("checkpoint"),
        chart="line",
        extra_columns=[("target", _("target (%)")), ("slow", _("slow")), ("serious", _("serious"))],
    )
    rows = frozen_totals(user, year, SUMS)  # stored when each checkpoint was taken
    link = drill_link(year, "checkpoint", "standing")
    for row in rows:
        figure.add(
            f"{year}年{row['checkpoint__month']}月",
            summed(row),
            link.format(row["checkpoint_id"], "behind"),
            key=row["checkpoint_id"],
            target=row["checkpoint__target"],
            slow=row["slow"],
            serious=row["serious"],
        )
    return figure


def frozen_totals(user, year: int, sums: dict):
    """Each of `year`'s checkpoints as `user` sees it (DOMAIN.md §3), by month: checkpoint_id, checkpoint__month,
    checkpoint__target, `sums` of the counts, slow and serious. The province reads each checkpoint's stored
    total, a bureau the stored totals of its kinds, an institution's people their own snapshot rows."""
    if user.sees_everything:
        rows = CheckpointTotal.objects.filter(bureau=None)
    elif user.institution_id:
        rows = InstitutionSnapshot.objects.for_user(user)
    else:
        rows = scoped(CheckpointTotal.objects.exclude(bureau=None), user, field="")
    behind: dict[str, Aggregate]
    if rows.model is CheckpointTotal:
        behind = {"slow": Sum("slow"), "serious": Sum("serious")}
    else:
        behind = {
            "slow": Count("pk", filter=Q(standing=Standing.SLOW)),
            "serious": Count("pk", filter=Q(standing=Standing.SERIOUS)),
        }
    return (
        rows.filter(checkpoint__year=year)
        .values("checkpoint_id", "checkpoint__month", "checkpoint__target")
        .annotate(**sums, **behind)
        .order_by("checkpoint__month")
    )


def funnel(user, year: int, *, groups: list[dict] | None = None) -> Figure:
    """Planned (approved) → registered → examined → passed over everything the user sees."""
    figure = Figure("funnel", TITLES["funnel"], _("scope"), chart="funnel")
    [total] = regrouped(progress_groups(user, year) if groups is None else groups)
    figure.add(str(_("everything you see")), summed(total), drill_link(year))
    return figure


def refreshed_at(year: int):
    """When the year's figures were last brought up to date (None: never)."""
    last = InstitutionProgress.objects.filter(year=year).order_by("-refreshed_at")
    return last.values_list("refreshed_at", flat=True).first()


def flagged_lines(user, year: int) -> int:
    """Lines with implausible figures (confirmed with a reason) among what the user sees."""
    return scoped_progress(user, year).aggregate(n=Coalesce(Sum("implausible"), 0))["n"]


def total(user, year: int) -> Figures:
    return summed(scoped_progress(user, year).aggregate(**SUMS))


def institutions(user, year: int, *, target: Decimal, filters: dict, window: slice | None = None) -> Figure:
    """The institutions behind a bar, a slice or a point: live figures, or a checkpoint's frozen ones,
    worst first; `window` builds only those rows (a page), `figure.total` says how many there are."""
    figure = Figure(
        "institutions",
        _("Institutions"),
        _("institution"),
        extra_columns=[("bureau", _("bureau")), ("kind", _("institution kind")), ("standing", _("standing"))],
    )
    if filters.get("checkpoint"):
        figure.total, found = _frozen_page(user, filters, window)
    else:
        found = _standing_rows(_institution_rows(user, year, filters), target=target, wanted=filters.get("standing"))
        figure.total = len(found)
        found = found if window is None else found[window]
    kinds = {key: str(label) for key, label in InstitutionKind.choices}
    labels = {key: str(label) for key, label in Standing.choices}
    # One reverse() for all rows: nationally a drill-down can list thousands.
    link = reverse("monitoring:institution", args=[PLACEHOLDER]).replace(str(PLACEHOLDER), "{}") + f"?year={year}"
    for row, figures, standing in found:
        institution = row.get("institution_id") or row["institution"]
        figure.add(
            row["name"],
            figures,
            link.format(institution),
            key=institution,
            bureau=row["bureau_name"],
            kind=kinds.get(row["kind"], row["kind"]),
            standing=labels[standing],
            standing_code=str(standing),
        )
    return figure


def _institution_rows(user, year: int, filters: dict):
    """One row of figures per institution: a checkpoint's frozen ones, one certificate's lines, or the live rollups."""
    checkpoint = filters.get("checkpoint")
    if checkpoint:
        rows = InstitutionSnapshot.objects.for_user(user).filter(checkpoint_id=checkpoint)
        return _filtered(rows, filters, bureau="bureau_id", kind="kind").values(
            "institution_id", "kind", "standing", name=F("institution__name"), bureau_name=F("bureau__name"), **FROZEN
        )
    if filters.get("certificate"):
        rows = _scoped_lines(user, year).filter(certificate_id=filters["certificate"])
        rows = _filtered(rows, filters, bureau="plan__institution__bureau_id", kind="plan__institution__kind")
        return rows.values(
            institution=F("plan__institution_id"),
            name=F("plan__institution__name"),
            bureau_name=F("plan__institution__bureau__name"),
            kind=F("plan__institution__kind"),
        ).annotate(**LINE_SUMS)
    rows = _filtered(scoped_progress(user, year), filters, bureau="institution__bureau_id", kind="institution__kind")
    return rows.values(
        "institution_id",
        name=F("institution__name"),
        kind=F("institution__kind"),
        bureau_name=F("institution__bureau__name"),
        **FROZEN,
    )


def _frozen_page(user, filters: dict, window: slice | None) -> tuple[int, list[tuple]]:
    """How many of a checkpoint's rows are in the wanted standing (all without one), and the `window` of them
    worst first as _standing_rows sorts: counted, sorted and cut by the database (nationally thousands of
    institutions are behind, and a page shows a hundred)."""
    rows = _institution_rows(user, 0, filters)
    wanted = filters.get("standing")
    if wanted:
        rows = rows.filter(standing__in=Standing.behind() if wanted == "behind" else [wanted])
    rows = rows.order_by(WORST_FIRST, by_code_point("institution__name"), "institution_id")
    page = rows if window is None else rows[window]
    return rows.count(), [(row, summed(row), row["standing"]) for row in page]


def by_code_point(field: str):
    """`field` ordered as Python orders strings (by code point): PostgreSQL's "C" collation; SQLite's own."""
    return Collate(F(field), "C") if connection.vendor == "postgresql" else F(field)


def _standing_rows(rows, *, target: Decimal, wanted: str | None) -> list[tuple]:
    """(row, figures, standing) of the rows in the `wanted` standing (all without one), worst first."""
    found = []
    for row in rows.order_by():
        figures = summed(row)
        standing = row.get("standing") or figures.standing(target) or Standing.ON_TRACK
        if wanted and not (standing == wanted or (wanted == "behind" and standing in Standing.behind())):
            continue
        found.append((row, figures, standing))
    # Worst first; a float ratio sorts as the cut percentages do, without a Decimal per row.
    found.sort(key=lambda item: (_ratio(item[1]), item[0]["name"]))
    return found


def _ratio(figures: Figures) -> float:  # monitoring.models.WORST_FIRST in SQL: the same double
    return figures.toward_completion / figures.approved if figures.approved else -1.0


def _filtered(rows, filters: dict, *, bureau: str, kind: str):
    if filters.get("bureau"):
        rows = rows.filter(**{bureau: filters["bureau"]})
    if filters.get("kind"):
        rows = rows.filter(**{kind: filters["kind"]})
    return rows


FIGURES: dict[str, Callable] = {
    "bureaus": by_bureau,
    "kinds": by_kind,
    "certificates": by_certificate,
    "trend": trend,
    "funnel": funnel,
}
