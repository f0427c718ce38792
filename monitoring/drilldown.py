"""The institutions behind a bar, a slice or a point of the dashboard (its drill-down): live figures, a
certificate's lines, or a checkpoint's frozen rows, worst first, scoped to the user."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from institutions.enums import InstitutionKind
from monitoring.enums import Standing
from monitoring.figure_cache import cached_figures
from monitoring.figures import FROZEN, LINE_SUMS, PLACEHOLDER, Figure, scoped_lines, scoped_progress, summed
from monitoring.models import WORST_FIRST, InstitutionSnapshot
from monitoring.rates import Figures


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


def cached_page(user, year: int, *, target: Decimal, filters: dict, window: slice) -> Figure:
    """institutions() for one page, cached with the dashboard's figures (the same sources drop them): nationally
    a live drill-down orders thousands of institutions in Python (~130 ms for the seriously behind)."""
    wanted = "&".join(f"{key}={value}" for key, value in sorted(filters.items()))
    name = f"drill:{wanted}:{target}:{window.start}:{window.stop}"
    return cached_figures(
        user, year, name, lambda: institutions(user, year, target=target, filters=filters, window=window)
    )


def _institution_rows(user, year: int, filters: dict):
    """One row of figures per institution: a checkpoint's frozen ones, one certificate's lines, or the live rollups."""
    checkpoint = filters.get("checkpoint")
    if checkpoint:
        rows = InstitutionSnapshot.objects.for_user(user).filter(checkpoint_id=checkpoint)
        return _filtered(rows, filters, bureau="bureau_id", kind="kind").values(
            "institution_id", "kind", "standing", name=F("institution__name"), bureau_name=F("bureau__name"), **FROZEN
        )
    if filters.get("certificate"):
        rows = scoped_lines(user, year).filter(certificate_id=filters["certificate"])
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
