"""What an import does to its lines: their figures before and after it (so that a withdrawal can put
them back), and the lines it would make implausible (held until someone confirms them with a reason)."""

from __future__ import annotations

from collections.abc import Iterable

from monitoring.enums import Result
from monitoring.models import LineProgress
from monitoring.plausibility import LineFigures, is_implausible
from monitoring.rollups import chunks
from plans.models import PlanLine

FIELDS = ("source", "registered", "examined", "passed")
CANDIDATE_FIELDS = ("candidate_registered", "candidate_examined", "candidate_passed")


class Held(Exception):
    """The import would write implausible figures that nobody confirmed: nothing is written."""

    def __init__(self, lines: list[LineFigures]):
        super().__init__(f"{len(lines)} implausible lines")
        self.lines = lines


def states(line_ids: Iterable[int]) -> dict[int, list | None]:
    """Line id → [source, registered, examined, passed] as stored now (None: no figures yet)."""
    found: dict[int, list | None] = dict.fromkeys(line_ids)
    for ids in chunks(found):
        for row in LineProgress.objects.filter(line_id__in=ids).values_list("line_id", *FIELDS):
            found[row[0]] = list(row[1:])
    return found


def candidates_after(deltas: dict[tuple[int, str], int]) -> dict[int, tuple[int, int, int]]:
    """Line id → (registered, examined, passed) its candidates will count once `deltas` are applied."""
    moved: dict[int, list[int]] = {}
    for (line, result), n in deltas.items():
        counts = moved.setdefault(line, [0, 0, 0])
        counts[0] += n
        counts[1] += n if result in Result.examined() else 0
        counts[2] += n if result == Result.PASSED else 0
    for ids in chunks(moved):
        for line, *now in LineProgress.objects.filter(line_id__in=ids).values_list("line_id", *CANDIDATE_FIELDS):
            moved[line] = [a + b for a, b in zip(moved[line], now, strict=True)]
    return {line: (registered, examined, passed) for line, (registered, examined, passed) in moved.items()}


def check(after: dict[int, tuple[int, int, int]], *, confirmed: bool) -> None:
    """Raise Held with the implausible lines among `after` (line → registered, examined, passed), unless
    they were `confirmed`. Every line's approved headcount is read; the names for a label only for the
    implausible ones (an import touches thousands of lines)."""
    if confirmed:
        return
    wrong: dict[int, int] = {}
    for ids in chunks(after):
        for pk, approved in PlanLine.objects.filter(pk__in=ids).values_list("pk", "approved_headcount"):
            assert approved is not None, "an import counts on approved lines only (monitoring.lookups)"
            registered, examined, passed = after[pk]
            if is_implausible(approved=approved, registered=registered, examined=examined, passed=passed):
                wrong[pk] = approved
    if wrong:
        raise Held(sorted(_labelled(wrong, after), key=lambda found: found.label))


def _labelled(wrong: dict[int, int], after: dict[int, tuple[int, int, int]]) -> list[LineFigures]:
    """The implausible lines (line → approved headcount) with their labels."""
    found = []
    for ids in chunks(wrong):
        for line in PlanLine.objects.filter(pk__in=ids).select_related("plan__institution", "certificate"):
            found.append(_figures(line, wrong[line.pk], *after[line.pk]))
    return found


def _figures(line: PlanLine, approved: int, registered: int, examined: int, passed: int) -> LineFigures:
    label = f"{line.plan.institution.name} {line.certificate.short_name} {line.get_level_display()} {line.major_name}"
    return LineFigures(
        line=line.pk,
        label=label,
        approved=approved,
        registered=registered,
        examined=examined,
        passed=passed,
    )
