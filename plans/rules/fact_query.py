"""The facts of one plan besides its lines and forms, read in one SQL query: Y−1's completion rate and whether its
cap was lifted, Y−1's approved headcount by certificate, Y's headcount in the institution's other submitted plans,
and the catalogue's minimum headcounts and majors of the plan's certificates.

The plan page reads them on every request. Built by the ORM they were five queries at about 0.7–1 ms of Python
each (query building, mostly); one UNION ALL written here costs about 0.3 ms. The figures are the ORM's of
plans/rules/batch.py, which checks thousands of plans at a time: tests/plans/rules/test_fact_query.py holds the two
to the same answer. The SQL is plain enough for PostgreSQL and SQLite (the demo) alike.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from catalog.models import Major
from plans.enums import PlanStatus

# Every part has the same columns: kind, certificate, level, figure, name, code, rate, flag.
RATE = (
    "SELECT 'rate' AS kind, NULL AS certificate_id, NULL AS level, NULL AS figure, NULL AS name, NULL AS code, "
    "completion_rate AS rate, cap_lifted AS flag FROM plans_institutionyear WHERE institution_id = %s AND year = %s"
)
LINES_OF_YEAR = (
    " FROM plans_planline l JOIN plans_plan p ON p.id = l.plan_id JOIN rounds_round r ON r.id = p.round_id"
    " WHERE p.institution_id = %s AND r.year = %s"
)
PRIOR = (
    "SELECT 'prior', l.certificate_id, NULL, SUM(l.approved_headcount), NULL, NULL, NULL, NULL"
    + LINES_OF_YEAR
    + " AND p.status = %s AND l.approved_headcount > 0 GROUP BY l.certificate_id"
)
# The figure of plans/rules/facts.submitted_figure: approved (0 if none) once published, else as asked.
OTHER = (
    "SELECT 'other', NULL, NULL, SUM(CASE WHEN p.status = %s THEN COALESCE(l.approved_headcount, 0)"
    " ELSE l.headcount END), NULL, NULL, NULL, NULL" + LINES_OF_YEAR + " AND p.status IN ({statuses})"
)
MINIMUM = (
    "SELECT 'minimum', certificate_id, level, min_headcount, NULL, NULL, NULL, NULL"
    " FROM catalog_certificatelevel WHERE certificate_id IN ({ids})"
)
MAJOR = (
    "SELECT 'major', c.certificate_id, NULL, m.id, m.name, m.code, NULL, NULL"
    " FROM catalog_certificate_majors c JOIN catalog_major m ON m.id = c.major_id WHERE c.certificate_id IN ({ids})"
)
DECIMAL_PLACES = Decimal("0.000001")  # InstitutionYear.completion_rate's six places


@dataclass
class FactRows:
    rate: Decimal | None = None
    cap_lifted: bool = False
    prior: dict[int, int] = field(default_factory=dict)  # Y−1's approved headcount by certificate
    other: int = 0  # Y's headcount in the institution's other submitted plans
    min_headcounts: dict[tuple[int, str], int | None] = field(default_factory=dict)
    majors: dict[int, list[Major]] = field(default_factory=dict)  # by certificate, by name


def fact_rows(*, institution_id: int, year: int, plan_id: int | None, certificate_ids) -> FactRows:
    """The facts of the plan `plan_id` (None: not saved yet) of `institution_id` for `year`, whose lines name
    `certificate_ids`."""
    sql, params = _query(institution_id, year, plan_id, sorted(certificate_ids))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = FactRows()
    majors: dict[int, list[Major]] = defaultdict(list)
    for kind, certificate_id, level, figure, name, code, rate, flag in rows:
        if kind == "rate":
            found.rate = rate if rate is None or isinstance(rate, Decimal) else _decimal(rate)
            found.cap_lifted = bool(flag)
        elif kind == "prior":
            found.prior[certificate_id] = figure
        elif kind == "other":
            found.other = figure or 0
        elif kind == "minimum":
            found.min_headcounts[(certificate_id, level)] = figure
        else:
            majors[certificate_id].append(Major(id=figure, name=name, code=code))
    found.majors = dict(majors)
    return found


def _query(institution_id: int, year: int, plan_id: int | None, certificate_ids: list[int]) -> tuple[str, list]:
    submitted = sorted(PlanStatus.submitted())
    other = OTHER.format(statuses=", ".join(["%s"] * len(submitted)))
    parts = [RATE, PRIOR, other + (" AND p.id <> %s" if plan_id is not None else "")]
    params: list = [institution_id, year - 1, institution_id, year - 1, PlanStatus.PUBLISHED]
    params += [PlanStatus.PUBLISHED, institution_id, year, *submitted, *([plan_id] if plan_id is not None else [])]
    if certificate_ids:
        ids = ", ".join(["%s"] * len(certificate_ids))
        parts += [MINIMUM.format(ids=ids), MAJOR.format(ids=ids)]
        params += [*certificate_ids, *certificate_ids]
    # By kind, then by name: each certificate's majors in the order of their names.
    return " UNION ALL ".join(parts) + " ORDER BY 1, 5", params


def _decimal(value) -> Decimal:
    """SQLite's number as the ORM gives it (plain SQL skips the field's converter)."""
    return Decimal(str(value)).quantize(DECIMAL_PLACES)
