"""One row of an import file in, one record (ready to write) or one issue (with its row number) out.

The same checkers serve the preview (the first rows, before anything is written) and the job.
An issue never holds a whole ID number: the checkers only ever put the masked form in messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from monitoring import crypto, idnumbers
from monitoring.enums import Result
from monitoring.lookups import Lookups, count_of, date_of, level_of, result_of, text_of

ERROR = "error"
DUPLICATE = "duplicate"
MAX_NAME = 50
MAX_CERTIFICATE_NUMBER = 64


@dataclass(frozen=True)
class Issue:
    row: int
    message: str
    kind: str = ERROR

    def as_dict(self) -> dict:
        return {"row": self.row, "kind": self.kind, "message": self.message}


def mask_name(name: str) -> str:
    """张三丰 → 张*丰, 张三 → 张*: enough to recognise someone on a list, not to identify them."""
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


class RowChecker:
    """Shared by both kinds: which institution a row belongs to, and its certificate and level."""

    def __init__(self, lookups: Lookups, positions: dict[str, int]):
        self.lookups = lookups
        self.pos = positions

    def cell(self, cells: list, field: str):
        index = self.pos.get(field)
        if index is None or index >= len(cells):
            return ""
        return cells[index]

    def institution(self, cells: list, problems: list[str]) -> int | None:
        fixed = self.lookups.institution_id
        value = self.cell(cells, "institution")
        if value == "" or value is None:
            if fixed is None:
                problems.append(_("the institution is missing"))
            return fixed
        found = self.lookups.institution(value)
        if fixed is not None and found != fixed:
            problems.append(_("the row names another institution (%(name)s)") % {"name": text_of(value)[:60]})
            return None
        if found is None:
            problems.append(_("unknown institution %(name)s") % {"name": text_of(value)[:60]})
        return found

    def certificate_and_level(self, cells: list, problems: list[str]) -> tuple[int | None, str | None]:
        value = self.cell(cells, "certificate")
        certificate = self.lookups.certificate(value) if value not in ("", None) else None
        if certificate is None:
            problems.append(
                _("the certificate %(name)s is not in the catalogue") % {"name": text_of(value)[:80]}
                if value not in ("", None)
                else _("the certificate is missing")
            )
        level = level_of(self.cell(cells, "level"))
        if level is None:
            problems.append(
                _("the level %(level)s is not 初级, 中级 or 高级") % {"level": text_of(self.cell(cells, "level"))[:20]}
            )
        return certificate, level

    def not_in_plan(self, institution: int) -> str:
        return _("this certificate and level are not in the approved plan of %(institution)s for %(year)s") % {
            "institution": self.lookups.institution_names.get(institution, "?"),
            "year": self.lookups.year,
        }


class CandidateChecker(RowChecker):
    """Per-candidate rows → records (line, year, certificate, level, hash, sealed, masked ID, masked name,
    exam date, result, certificate number) in bulk.COLUMNS order."""

    def __init__(self, lookups: Lookups, positions: dict[str, int], *, today: date):
        super().__init__(lookups, positions)
        self.today = today
        self.seen: dict[bytes, int] = {}

    def check(self, number: int, cells: list) -> tuple[tuple | None, Issue | None]:
        if not any(c not in ("", None) for c in cells):
            return None, None
        problems: list[str] = []
        institution = self.institution(cells, problems)
        certificate, level = self.certificate_and_level(cells, problems)
        line = None
        if institution is not None and certificate is not None and level is not None:
            line = self.lookups.line(institution, certificate, level, self.cell(cells, "major"))
            if line is None:
                problems.append(self.not_in_plan(institution))
        id_number = None
        try:
            id_number = idnumbers.clean(self.cell(cells, "id_number"), today=self.today)
        except idnumbers.IdNumberError as exc:
            problems.append(exc.message)
        name = text_of(self.cell(cells, "name"))
        if not name:
            problems.append(_("the name is missing"))
        elif len(name) > MAX_NAME:
            problems.append(_("the name is longer than %(max)s characters") % {"max": MAX_NAME})
        result = result_of(self.cell(cells, "result"))
        if result is None:
            problems.append(
                _("the result %(value)s is not understood") % {"value": text_of(self.cell(cells, "result"))[:20]}
            )
        exam_date = self._exam_date(cells, result, problems)
        certificate_number = text_of(self.cell(cells, "certificate_number"))
        if len(certificate_number) > MAX_CERTIFICATE_NUMBER:
            problems.append(_("the certificate number is too long"))
        if problems:
            return None, Issue(number, "；".join(problems))
        digest = crypto.id_hash(id_number)
        dedupe = digest + certificate.to_bytes(4, "big") + level.encode()
        first = self.seen.setdefault(dedupe, number)
        if first != number:
            return None, Issue(
                number,
                _("the same candidate, certificate and level as row %(first)s: skipped") % {"first": first},
                DUPLICATE,
            )
        record = (
            line,
            self.lookups.year,
            certificate,
            level,
            digest,
            crypto.seal(name, id_number),
            idnumbers.mask(id_number),
            mask_name(name),
            exam_date,
            result,
            certificate_number,
        )
        return record, None

    def _exam_date(self, cells: list, result: str | None, problems: list[str]) -> date | None:
        value = self.cell(cells, "exam_date")
        if value in ("", None):
            if result in (Result.PASSED, Result.FAILED):
                problems.append(_("the exam date is missing"))
            return None
        found = date_of(value)
        if found is None:
            problems.append(_("the exam date %(value)s is not a date") % {"value": text_of(value)[:20]})
        elif found.year != self.lookups.year:
            problems.append(
                _("the exam date %(date)s is outside %(year)s") % {"date": found.isoformat(), "year": self.lookups.year}
            )
        return found


class TotalsChecker(RowChecker):
    """Per-line totals rows → (line, registered, examined, passed)."""

    def __init__(self, lookups: Lookups, positions: dict[str, int]):
        super().__init__(lookups, positions)
        self.seen: dict[int, int] = {}

    def check(self, number: int, cells: list) -> tuple[tuple | None, Issue | None]:
        if not any(c not in ("", None) for c in cells):
            return None, None
        problems: list[str] = []
        institution = self.institution(cells, problems)
        certificate, level = self.certificate_and_level(cells, problems)
        line = None
        if institution is not None and certificate is not None and level is not None:
            line, ambiguous = self.lookups.line_by_major(institution, certificate, level, self.cell(cells, "major"))
            if ambiguous:
                problems.append(
                    _("the approved plan has this certificate and level for several majors: name the major")
                )
            elif line is None:
                problems.append(self.not_in_plan(institution))
        counts = {}
        for field, label in (("registered", _("registered")), ("examined", _("examined")), ("passed", _("passed"))):
            counts[field] = count_of(self.cell(cells, field))
            if counts[field] is None:
                problems.append(_("%(field)s is not a whole number") % {"field": label})
        if None not in counts.values() and not counts["passed"] <= counts["examined"] <= counts["registered"]:
            problems.append(_("the counts must satisfy passed ≤ examined ≤ registered"))
        if problems:
            return None, Issue(number, "；".join(problems))
        first = self.seen.setdefault(line, number)
        if first != number:
            return None, Issue(number, _("the same line as row %(first)s") % {"first": first})
        return (line, counts["registered"], counts["examined"], counts["passed"]), None
