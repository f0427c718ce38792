"""A checkpoint's figures as they stood at the end of its day (Asia/Shanghai), whenever it is taken.

A checkpoint taken late must equal the one taken on time, so it counts:
- of imported candidates, the exams dated on or before its day; a candidate without an exam date
  counts when its import came in before the day ended; registered candidates likewise (dated on or
  before the day, or imported before it ended);
- of typed or imported totals, the figures saved before the day ended: the line's figures when they
  were last changed before then, else the last typed value the audit trail holds from before then,
  else nothing.
Approved headcounts are the plan of record as it is now.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q

from audit.models import AuditEvent
from core.dates import end_of
from monitoring.enums import ProgressSource, Result
from monitoring.models import Candidate
from monitoring.rates import capped_examined
from monitoring.rollups import approved_lines

PROGRESS_FIELDS = ("registered", "examined", "passed")


@dataclass
class Sums:
    approved: int = 0
    registered: int = 0
    examined: int = 0
    passed: int = 0
    counted: int = 0

    def add(self, approved: int, counts: tuple[int, int, int]) -> None:
        registered, examined, passed = counts
        self.approved += approved
        self.registered += registered
        self.examined += examined
        self.passed += passed
        self.counted += capped_examined(examined=examined, approved=approved)


@dataclass
class AsOf:
    """Per institution (with its bureau and kind) and per certificate, the sums at the end of `day`."""

    institutions: dict[int, Sums]
    places: dict[int, tuple[int, str]]
    certificates: dict[int, Sums]


def candidate_counts(year: int, day: date) -> dict[int, tuple[int, int, int]]:
    """Line id → (registered, examined, passed) of its candidates as of the end of `day`."""
    end = end_of(day)
    known = Q(source_import__isnull=True) | Q(source_import__created_at__lt=end)
    registered = Q(exam_date__lte=day) | known
    sat = Q(exam_date__lte=day) | (Q(exam_date__isnull=True) & known)
    rows = (
        Candidate.objects.filter(year=year)
        .values("line_id")
        .annotate(
            n=Count("id", filter=registered),
            e=Count("id", filter=sat & Q(result__in=Result.examined())),
            p=Count("id", filter=sat & Q(result=Result.PASSED)),
        )
        .order_by()
    )
    return {row["line_id"]: (row["n"], row["e"], row["p"]) for row in rows}


def typed_before(progress_ids: list[int], end: datetime) -> dict[int, tuple[int, int, int]]:
    """LineProgress (line) id → the last typed figures the audit trail holds from before `end`."""
    found: dict[int, tuple[int, int, int]] = {}
    events = AuditEvent.objects.filter(
        action="monitoring.progress.record",
        object_type="monitoring.lineprogress",
        object_id__in=[str(pk) for pk in progress_ids],
        at__lt=end,
    ).order_by("at", "id")
    for event in events.values("object_id", "after"):
        registered, examined, passed = (int(event["after"].get(name) or 0) for name in PROGRESS_FIELDS)
        found[int(event["object_id"])] = (registered, examined, passed)
    return found


def figures_at(year: int, day: date) -> AsOf:
    """Every approved line of `year` with its progress at the end of `day`, summed per institution and certificate."""
    end = end_of(day)
    lines = list(
        approved_lines(year).values(
            "plan__institution_id",
            "plan__institution__bureau_id",
            "plan__institution__kind",
            "certificate_id",
            "approved_headcount",
            "id",
            "progress__source",
            "progress__updated_at",
            *(f"progress__{name}" for name in PROGRESS_FIELDS),
        )
    )
    candidates = candidate_counts(year, day)
    # LineProgress's key is its line's: the audit trail names it by the line id.
    changed_since = [ln["id"] for ln in lines if ln["progress__source"] and ln["progress__updated_at"] >= end]
    earlier = typed_before(changed_since, end) if changed_since else {}
    result = AsOf(institutions=defaultdict(Sums), places={}, certificates=defaultdict(Sums))
    for line in lines:
        counts = _line_counts(line, candidates, earlier, end)
        institution = line["plan__institution_id"]
        result.places[institution] = (line["plan__institution__bureau_id"], line["plan__institution__kind"])
        result.institutions[institution].add(line["approved_headcount"], counts)
        result.certificates[line["certificate_id"]].add(line["approved_headcount"], counts)
    return result


def _line_counts(line: dict, candidates: dict, earlier: dict, end: datetime) -> tuple[int, int, int]:
    if line["progress__source"] is None:
        return (0, 0, 0)
    if line["progress__source"] == ProgressSource.CANDIDATES:
        return candidates.get(line["id"], (0, 0, 0))
    if line["progress__updated_at"] < end:
        return tuple(line[f"progress__{name}"] for name in PROGRESS_FIELDS)
    return earlier.get(line["id"], (0, 0, 0))
