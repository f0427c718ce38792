"""The plan's Excel template as a round trip: read the file, compare it with the plan, apply it once confirmed.

A line is the same line when its certificate, level and major are the same (the plan holds each once); its
other cells are what an upload may change. Lines of the plan that the file lacks are offered for removal, never
removed unasked. Nothing is written until the clerk confirms the preview, and then all of it or nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

from django.db import models, transaction
from django.utils.translation import gettext as _

from catalog.enums import Level
from catalog.models import Certificate, CertificateLevel
from core.tabular import TabularError, read_table
from plans import services
from plans.excel import COLUMNS, REQUIRED
from plans.models import Plan, PlanLine
from plans.rules import line_problems

# What an upload may change on a line it finds in the plan.
EDITABLE = ("major_code", "headcount", "remark", "justification")


@dataclass(frozen=True)
class FileLine:
    """One checked row of the file."""

    row: int
    certificate_id: int
    level: str
    major_name: str
    major_code: str
    headcount: int
    remark: str
    justification: str

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.certificate_id, self.level, self.major_name)

    def values(self) -> dict:
        return {name: getattr(self, name) for name in EDITABLE}


@dataclass
class FileRead:
    lines: list[FileLine] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Change:
    line: PlanLine
    new: FileLine
    fields: list[tuple[str, str, str]]  # (label, before, after)


@dataclass
class LineDiff:
    added: list[FileLine]
    changed: list[Change]
    missing: list[PlanLine]
    unchanged: int

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.missing)

    @property
    def digest(self) -> str:
        """What the preview showed: a confirmation applies exactly this, or nothing."""
        shown = [
            [asdict(new) for new in self.added],
            [[c.line.pk, c.new.row, c.fields] for c in self.changed],
            [[line.pk, line.headcount] for line in self.missing],
        ]
        return hashlib.sha256(json.dumps(shown, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _certificate_index() -> dict[str, Certificate]:
    index = {}
    for cert in Certificate.objects.all():
        index[cert.name] = cert
        index.setdefault(cert.short_name, cert)
    return index


def _check_row(row, certificates, offered) -> tuple[list[str], Certificate | None, str | None]:
    problems = list(row.problems)
    cert = certificates.get(row["证书名称"])
    level = Level.from_chinese(row["等级"])
    if cert is None:
        problems.append(_("unknown certificate “%(name)s”") % {"name": row["证书名称"]})
    if level is None:
        problems.append(_("unknown level “%(level)s” (初级, 中级 or 高级)") % {"level": row["等级"]})
    problems += line_problems(
        certificate=cert,
        level=level,
        major_name=row["考核专业"],
        headcount=row["申报人数"],
        offered=offered.get(cert.pk, []) if cert else [],
    )
    return problems, cert, level


def read_lines(upload) -> FileRead:
    """Every row of the uploaded template checked; one message per bad row with its spreadsheet row number."""
    result = FileRead()
    try:
        table = read_table(upload, required=REQUIRED, known=COLUMNS)
    except TabularError as exc:
        result.errors.append(exc.message)
        return result
    if not table.rows:
        result.errors.append(_("The file has no data rows."))
        return result
    certificates = _certificate_index()
    offered = CertificateLevel.objects.offered()
    seen = set()
    for row in table.rows:
        problems, cert, level = _check_row(row, certificates, offered)
        key = (cert.pk if cert else None, level, row["考核专业"])
        if cert is not None and level is not None and row["考核专业"]:
            if key in seen:
                problems.append(_("this certificate, level and major appears more than once in the file"))
            seen.add(key)
        if problems:
            result.errors.append(
                _("Row %(number)s: %(problems)s") % {"number": row.number, "problems": "；".join(problems)}
            )
            continue
        assert cert is not None and level is not None  # a row without either has problems
        result.lines.append(
            FileLine(
                row=row.number,
                certificate_id=cert.pk,
                level=level,
                major_name=row["考核专业"],
                major_code=row["专业代码"],
                headcount=int(row["申报人数"]),
                remark=row["备注"],
                justification=row["警告说明"],
            )
        )
    return result


def _label(name: str) -> str:
    """The verbose name of one of the line's own fields (never a relation from another model)."""
    own = PlanLine._meta.get_field(name)
    assert isinstance(own, models.Field), name
    return str(own.verbose_name)


def _changes(line: PlanLine, new: FileLine) -> list[tuple[str, str, str]]:
    return [
        (_label(name), str(getattr(line, name)), str(getattr(new, name)))
        for name in EDITABLE
        if getattr(line, name) != getattr(new, name)
    ]


def compare(plan: Plan, lines: list[FileLine]) -> LineDiff:
    """What applying `lines` would do to the plan: lines added, lines changed (before → after), lines missing."""
    current = {(ln.certificate_id, ln.level, ln.major_name): ln for ln in plan.lines.select_related("certificate")}
    diff = LineDiff(added=[], changed=[], missing=[], unchanged=0)
    for new in lines:
        line = current.pop(new.key, None)
        if line is None:
            diff.added.append(new)
        elif fields := _changes(line, new):
            diff.changed.append(Change(line=line, new=new, fields=fields))
        else:
            diff.unchanged += 1
    diff.missing = sorted(current.values(), key=lambda ln: ln.pk)
    return diff


def lines_from_session(stored: list[dict]) -> list[FileLine]:
    return [FileLine(**values) for values in stored]


def lines_for_session(lines: list[FileLine]) -> list[dict]:
    return [asdict(line) for line in lines]


@dataclass(frozen=True)
class Applied:
    added: int
    changed: int
    removed: int


@transaction.atomic
def apply_lines(*, actor, plan: Plan, lines: list[FileLine], digest: str, remove: set[int]) -> Applied:
    """Apply a confirmed preview in one transaction: update the changed lines, add the new ones, remove the
    missing lines the clerk ticked (`remove`, line ids). Side effects: each line written through the plan's
    services (each audited); nothing at all when the plan changed since the preview (`digest`) or a step fails.
    """
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    diff = compare(plan, lines)
    if diff.digest != digest:
        raise services.PlanError(_("The plan changed since the preview: upload the file again."))
    removed = [line for line in diff.missing if line.pk in remove]
    for line in removed:
        services.remove_line(actor=actor, line=line)
    for change in diff.changed:
        services.update_line(actor=actor, line=change.line, **change.new.values())
    for new in diff.added:
        services.add_line(
            actor=actor,
            plan=plan,
            certificate=Certificate.objects.get(pk=new.certificate_id),
            level=new.level,
            major_name=new.major_name,
            **new.values(),
        )
    return Applied(added=len(diff.added), changed=len(diff.changed), removed=len(removed))
