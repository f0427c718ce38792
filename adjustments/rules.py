"""R7 (DOMAIN.md §8, notice §五): adjustments only increase; and R2 / R3 on the plan as it would be after them.

The R7 functions read the plan of record (`Record`) and the changes a user asked for (`Change`), and return
violations; one function per kind of refusal. `Checker` runs R2 and R3 (the rules of `plans.rules`) on the plan of
record with a request's figures in place, reading the plan's facts once for any number of requests.

The cap counts the plan of record: this plan's approved lines with the request applied, plus the year's other
plans as `plans.rules.year_headcount` counts them (approved figures where published, planned ones in review).
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

from adjustments.enums import ItemKind
from catalog.enums import Level
from catalog.models import Certificate, CertificateLevel
from core.text import normalise
from plans.enums import Severity
from plans.models import Plan, PlanLine
from plans.rules import PlanFacts, Violation, gather_facts, line_problems, r2_min_headcount, r3_cap

# The notice's own words (§五), quoted in every R7 refusal.
NOTICE_QUOTE = "原则上不再接受考核等级、考核专业、人数规模削减等调整"


@dataclass(frozen=True)
class Change:
    """One change as asked for: an approved line (`line_id`) at a new headcount, or a new line (no `line_id`).

    For an approved line, `level` and `major_name` may be given; they must then equal the line's.
    """

    headcount: int
    line_id: int | None = None
    certificate_id: int | None = None
    level: str = ""
    major_name: str = ""
    major_code: str = ""

    def __post_init__(self):
        # Typed by people: compared (R4, the line's own major) and stored in one form (core.text).
        object.__setattr__(self, "major_name", normalise(self.major_name))
        object.__setattr__(self, "major_code", normalise(self.major_code))

    @property
    def is_new(self) -> bool:
        return self.line_id is None

    @property
    def key(self) -> tuple:
        return (self.certificate_id, self.level, self.major_name.strip())


@dataclass
class Record:
    """The plan of record: its approved lines (approved headcount above 0) and the levels their certificates offer."""

    plan: Plan
    lines: dict[int, PlanLine]
    levels: dict[int, list[str]] = field(default_factory=dict)

    @property
    def certificate_ids(self) -> set[int]:
        return {line.certificate_id for line in self.lines.values()}

    def line_for(self, key: tuple) -> PlanLine | None:
        for line in self.lines.values():
            if (line.certificate_id, line.level, line.major_name) == key:
                return line
        return None


def approved_headcount(line: PlanLine) -> int:
    """The approved figure of a line of the plan of record."""
    assert line.approved_headcount is not None, "the plan of record holds approved lines only (read_record)"
    return line.approved_headcount


def read_record(plan: Plan) -> Record:
    """The approved lines of `plan` (two queries)."""
    lines = {
        line.pk: line
        for line in plan.lines.filter(approved_headcount__gt=0).select_related("certificate").order_by("id")
    }
    levels = CertificateLevel.objects.offered({line.certificate_id for line in lines.values()})
    return Record(plan=plan, lines=lines, levels=levels)


def _refusal(what: str) -> str:
    return _('Adjustments may only increase the approved plan: %(what)s. The notice (§五) says: "%(quote)s".') % {
        "what": what,
        "quote": NOTICE_QUOTE,
    }


def _name(line: PlanLine) -> str:
    return f"{line.certificate.short_name}（{Level(line.level).chinese}，{line.major_name}）"


def _r7(what: str, *line_ids: int) -> Violation:
    return Violation("R7", Severity.ERROR, _refusal(what), tuple(line_ids))


# --- R7, one function per refusal ---------------------------------------------------------------------------------


def r7_no_reduction(record: Record, changes: list[Change]) -> list[Violation]:
    """A lower headcount on an approved line."""
    violations = []
    for change in changes:
        line = record.lines.get(change.line_id) if change.line_id else None
        if line is not None and 0 < change.headcount < approved_headcount(line):
            what = _("%(line)s would go down from %(before)d to %(after)d") % {
                "line": _name(line),
                "before": line.approved_headcount,
                "after": change.headcount,
            }
            violations.append(_r7(what, line.pk))
    return violations


def r7_no_removal(record: Record, changes: list[Change]) -> list[Violation]:
    """An approved line taken out (headcount 0)."""
    violations = []
    for change in changes:
        line = record.lines.get(change.line_id) if change.line_id else None
        if line is not None and change.headcount <= 0:
            what = _("%(line)s would be removed (%(before)d approved)") % {
                "line": _name(line),
                "before": line.approved_headcount,
            }
            violations.append(_r7(what, line.pk))
    return violations


def r7_no_change_of_level_or_major(record: Record, changes: list[Change]) -> list[Violation]:
    """An approved line given another level, major or certificate."""
    violations = []
    for change in changes:
        line = record.lines.get(change.line_id) if change.line_id else None
        if line is None:
            continue
        changed = []
        if change.certificate_id and change.certificate_id != line.certificate_id:
            changed.append(_("certificate"))
        if change.level and change.level != line.level:
            changed.append(_("level %(old)s → %(new)s") % {"old": Level(line.level).chinese, "new": _level(change)})
        if change.major_name.strip() and change.major_name.strip() != line.major_name:
            changed.append(_("major %(old)s → %(new)s") % {"old": line.major_name, "new": change.major_name.strip()})
        if changed:
            what = _("%(line)s would change its %(changes)s") % {"line": _name(line), "changes": "、".join(changed)}
            violations.append(_r7(what, line.pk))
    return violations


def r7_approved_only(record: Record, changes: list[Change]) -> list[Violation]:
    """A line that is not in the approved plan (rejected at review, or of another plan)."""
    violations = []
    for change in changes:
        if change.line_id and change.line_id not in record.lines:
            what = _("line %(id)d is not an approved line of this plan") % {"id": change.line_id}
            violations.append(_r7(what))
    return violations


def r7_certificate_approved(record: Record, changes: list[Change]) -> list[Violation]:
    """A new line for a certificate the approved plan does not hold: new certificates wait for the next round.
    A new line without a certificate is r7_new_line_problems' to refuse."""
    violations = []
    unknown = [
        c.certificate_id
        for c in changes
        if c.is_new and c.certificate_id is not None and c.certificate_id not in record.certificate_ids
    ]
    names = dict(Certificate.objects.filter(pk__in=set(unknown)).values_list("pk", "name"))
    for certificate_id in unknown:
        what = _("%(certificate)s is not approved in this plan; a new certificate waits for the next round") % {
            "certificate": names.get(certificate_id, certificate_id)
        }
        violations.append(_r7(what))
    return violations


def r7_new_line_problems(record: Record, changes: list[Change]) -> list[Violation]:
    """A new line's own problems: no certificate, and those of plans.rules.line_problems (a level its certificate
    does not offer, no major, no headcount above zero). The level is judged only for a certificate of the approved
    plan (else r7_certificate_approved speaks)."""
    certificates = {line.certificate_id: line.certificate for line in record.lines.values()}
    violations = []
    for change in (c for c in changes if c.is_new):
        if change.certificate_id is None:
            violations.append(Violation("R7", Severity.ERROR, _("the certificate is missing")))
        certificate = certificates.get(change.certificate_id) if change.certificate_id else None
        problems = line_problems(
            certificate=certificate,
            level=change.level,
            major_name=change.major_name,
            headcount=change.headcount,
            offered=record.levels.get(change.certificate_id, []) if change.certificate_id else [],
        )
        violations += [Violation("R7", Severity.ERROR, problem) for problem in problems]
    return violations


def r4_once_each(record: Record, changes: list[Change]) -> list[Violation]:
    """A line asked for twice, or a "new" line that is already approved (raise that line instead)."""
    violations = []
    seen = Counter(c.line_id for c in changes if c.line_id)
    for line_id, count in seen.items():
        if count > 1 and line_id in record.lines:
            message = _("%(line)s appears %(count)d times in the request; once each.") % {
                "line": _name(record.lines[line_id]),
                "count": count,
            }
            violations.append(Violation("R4", Severity.ERROR, message, (line_id,)))
    new_keys = Counter(c.key for c in changes if c.is_new)
    for change in (c for c in changes if c.is_new):
        existing = record.line_for(change.key)
        if existing is not None:
            message = _("%(line)s is already approved: raise that line instead of adding it again.") % {
                "line": _name(existing)
            }
            violations.append(Violation("R4", Severity.ERROR, message, (existing.pk,)))
        elif new_keys[change.key] > 1:
            message = _("The new line %(major)s appears more than once; once each.") % {"major": change.major_name}
            violations.append(Violation("R4", Severity.ERROR, message))
            new_keys[change.key] = 0
    return violations


def r7_something_asked(record: Record, changes: list[Change]) -> list[Violation]:
    unchanged = all(
        c.line_id in record.lines and c.headcount == record.lines[c.line_id].approved_headcount for c in changes
    )
    if changes and not unchanged:
        return []
    return [Violation("R7", Severity.ERROR, _("Nothing to adjust: raise a line or add a new major or level."))]


R7_CHECKS = (
    r7_something_asked,
    r7_approved_only,
    r7_no_reduction,
    r7_no_removal,
    r7_no_change_of_level_or_major,
    r7_certificate_approved,
    r7_new_line_problems,
    r4_once_each,
)


def r7_violations(record: Record, changes: list[Change]) -> list[Violation]:
    """Every refusal of the changes as a whole: one reduction among increases refuses them all."""
    return [v for check in R7_CHECKS for v in check(record, changes)]


def _level(change: Change) -> str:
    return Level(change.level).chinese if change.level in Level.values else change.level


# --- R2 and R3 on the plan after the adjustment --------------------------------------------------------------------


def after_lines(record: Record, items, *, figure: str = "after") -> list[PlanLine]:
    """The plan of record as unsaved lines whose `headcount` is the approved figure, with `items` applied.

    `items` are AdjustmentItems (saved or not); `figure` names the item field to apply ("after" or "approved").
    An item with a figure of 0 (a new line the province did not grant) adds nothing.
    """
    lines = {}
    for pk, line in record.lines.items():
        copied = copy.copy(line)
        copied.headcount = approved_headcount(line)
        lines[pk] = copied
    extra = []
    for item in items:
        value = getattr(item, figure)
        if value is None:
            value = item.after
        if item.line_id in lines:
            lines[item.line_id].headcount = value
        elif value > 0:
            extra.append(
                PlanLine(
                    plan=record.plan,
                    certificate=item.certificate,
                    level=item.level,
                    major_name=item.major_name,
                    major_code=item.major_code,
                    headcount=value,
                )
            )
    return [*lines.values(), *extra]


def changed_since(record: Record, items) -> list[Violation]:
    """Items made from figures that are no longer the plan of record (another request was approved since)."""
    violations = []
    for item in items:
        if item.line_id is not None and item.kind == ItemKind.INCREASE:
            line = record.lines.get(item.line_id)
            now = line.approved_headcount if line else 0
            if now != item.before:
                message = _(
                    "%(item)s was asked from an approved %(before)d, but the plan of record is now %(now)d: "
                    "withdraw this request and file a new one."
                ) % {"item": str(item), "before": item.before, "now": now}
                violations.append(Violation("R7", Severity.ERROR, message, (item.line_id,)))
        elif item.kind == ItemKind.NEW_LINE and item.line_id is None:
            existing = record.line_for((item.certificate_id, item.level, item.major_name))
            if existing is not None:
                message = _("%(line)s has been approved since this request was made: withdraw it and file a new one.")
                violations.append(Violation("R7", Severity.ERROR, message % {"line": _name(existing)}, (existing.pk,)))
    return violations


class Checker:
    """R2 and R3 (and the staleness of the figures) for any number of requests of one plan.

    Reads the plan of record, the year's other figures and the rule facts once (about ten queries), so a page
    listing many requests checks each in memory.
    """

    def __init__(self, plan: Plan, *, record: Record | None = None):
        self.plan = plan
        self.record = record or read_record(plan)
        self.base: PlanFacts = gather_facts(plan, lines=after_lines(self.record, []))

    def facts_for(self, items, *, figure: str = "after") -> PlanFacts:
        return replace(self.base, lines=after_lines(self.record, items, figure=figure))

    def violations(self, items, *, figure: str = "after") -> list[Violation]:
        """What stands against granting `items` at `figure` now: changed figures, R2, R3."""
        items = list(items)
        facts = self.facts_for(items, figure=figure)
        return [*changed_since(self.record, items), *r2_min_headcount(facts), *r3_cap(facts)]
