"""The dashboard's figures, each one query over the rollups or snapshots, scoped to the user.

A figure is a small table (columns and rows); the chart, the HTML table and the Excel
download all draw the same rows. Every row links to the institutions behind it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Aggregate, Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.numbers import round_half_up
from institutions.enums import InstitutionKind
from institutions.models import Bureau
from institutions.scope import scoped
from monitoring.checkpoint_totals import CheckpointTotal
from monitoring.enums import Standing
from monitoring.figure_cache import cached_figures
from monitoring.models import CertificateProgress, InstitutionProgress, InstitutionSnapshot
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
    were half of its database time). Grouped by the ids alone and named after: with the bureau's name in the
    key PostgreSQL sorted every institution's row by it (nationally ~21 -> ~13 ms of its CPU)."""
    groups = list(
        scoped_progress(user, year).values("institution__bureau_id", "institution__kind").annotate(**SUMS).order_by()
    )
    names = dict(Bureau.objects.filter(pk__in={g["institution__bureau_id"] for g in groups}).values_list("pk", "name"))
    for group in groups:
        group["institution__bureau__name"] = names[group["institution__bureau_id"]]
    return sorted(groups, key=lambda group: (group["institution__bureau_id"], group["institution__kind"]))


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
        rows = scoped_lines(user, year).values("certificate_id", "certificate__name").annotate(**LINE_SUMS)
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


def scoped_lines(user, year: int):
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


def headline(user, year: int) -> dict:
    """The dashboard's figures above its charts: the totals and the flagged lines among what `user` sees (one
    aggregate), and when the year's figures were last refreshed."""
    row = scoped_progress(user, year).aggregate(**SUMS, flagged=Coalesce(Sum("implausible"), 0))
    return {"total": summed(row), "flagged": row["flagged"], "refreshed_at": refreshed_at(year)}


FIGURES: dict[str, Callable] = {
    "bureaus": by_bureau,
    "kinds": by_kind,
    "certificates": by_certificate,
    "trend": trend,
    "funnel": funnel,
}


def cached_headline(user, year: int) -> dict:
    return cached_figures(user, year, "headline", lambda: headline(user, year))


def cached_charts(user, year: int) -> str:
    """charts() as JSON text: encoding the province's few hundred rows again on every read cost ~3 ms."""
    return cached_figures(user, year, "charts", lambda: json.dumps(charts(user, year), cls=DjangoJSONEncoder))


def cached_figure_json(user, year: int, name: str) -> str:
    """One chart's figure as JSON text (KeyError: no such figure)."""
    build = FIGURES[name]
    return cached_figures(
        user, year, f"json-{name}", lambda: json.dumps(build(user, year).as_json(), cls=DjangoJSONEncoder)
    )


def cached_figure(user, year: int, name: str) -> Figure:
    """FIGURES[name] of `year` as `user` sees it (KeyError: no such figure)."""
    build = FIGURES[name]
    return cached_figures(user, year, f"figure-{name}", lambda: build(user, year))
