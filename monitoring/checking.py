"""One row of an import file in, one record (ready to write) or one issue (with its row number) out.

The same checkers serve the preview (the first rows, before anything is written) and the job.
An issue never holds a whole ID number: the checkers only ever put the masked form in messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from operator import itemgetter

from django.utils.translation import gettext as _

from monitoring import crypto, idnumbers
from monitoring.enums import Result
from monitoring.lookups import MEMO_LIMIT, Lookups, count_of, date_of, level_of, result_of, text_of

ERROR = "error"
DUPLICATE = "duplicate"
# Control characters and the backslash have no place in a name or a certificate number; refusing
# them also means the COPY text format needs no escaping (bulk.copy_line).
EXAMINED = Result.examined()
UNSAFE_TEXT = re.compile(r"[\x00-\x1f\x7f\\]")
MAX_NAME = 50
MAX_CERTIFICATE_NUMBER = 64


@dataclass(frozen=True)
class Issue:
    row: int
    message: str
    kind: str = ERROR

    def as_dict(self) -> dict:
        return {"row": self.row, "kind": self.kind, "message": self.message}


def dedupe_key(digest: bytes, certificate: int, level: str) -> bytes:
    """One candidate, certificate and level, in a few bytes: 16 of the hash keep a million keys small
    (a collision needs ~2^64 candidates)."""
    return digest[:16] + certificate.to_bytes(4, "big") + level.encode()


class Resolved(dict):
    """text → meaning, computed once per distinct text (an export repeats a few hundred names a
    million times). Only text is remembered: 1, 1.0 and True are one key to a dict, not to an import."""

    def __init__(self, compute):
        super().__init__()
        self.compute = compute

    def __missing__(self, value):
        found = self.compute(value)
        if type(value) is str and len(self) < MEMO_LIMIT:
            self[value] = found
        return found

    def get(self, value, default=None):
        return self[value]


def mask_name(name: str) -> str:
    """张三丰 → 张*丰, 张三 → 张*: enough to recognise someone on a list, not to identify them."""
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


class RowChecker:
    """Shared by both kinds: which institution a row belongs to, and its certificate and level.

    `FIELDS` are taken from a row in one C call (operator.itemgetter); a field the file lacks reads
    the empty cell appended at the row's end.
    """

    FIELDS: tuple[str, ...] = ()

    def __init__(self, lookups: Lookups, positions: dict[str, int], *, width: int):
        self.lookups = lookups
        self.width = max([width, *(i + 1 for i in positions.values())])
        self.pick = itemgetter(*(positions.get(f, self.width) for f in self.FIELDS))
        self.field_count = len(self.FIELDS)

    def values(self, cells: list) -> tuple | None:
        """The row's fields in FIELDS order, or None when all of them are empty."""
        if len(cells) != self.width:
            cells = [("" if c is None else c) for c in cells[: self.width]] + [""] * (self.width - len(cells))
        cells.append("")
        values = self.pick(cells)
        return None if values.count("") == self.field_count else values

    def institution(self, value, problems: list[str]) -> int | None:
        fixed = self.lookups.institution_id
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

    def certificate_and_level(self, value, level_value, problems: list[str]) -> tuple[int | None, str | None]:
        certificate = self.lookups.certificate(value) if value not in ("", None) else None
        if certificate is None:
            problems.append(
                _("the certificate %(name)s is not in the catalogue") % {"name": text_of(value)[:80]}
                if value not in ("", None)
                else _("the certificate is missing")
            )
        level = level_of(level_value)
        if level is None:
            problems.append(_("the level %(level)s is not 初级, 中级 or 高级") % {"level": text_of(level_value)[:20]})
        return certificate, level

    def run(self, rows, add, note, *, every: int = 0, progress=None) -> int:
        """Each row through `check`: good records to `add`, issues to `note`; returns the rows read."""
        read = 0
        for number, cells in rows:
            found, issue = self.check(number, cells)
            if found is None and issue is None:
                continue
            read += 1
            if every and read % every == 0:
                progress(read)
            if issue is not None:
                note(issue)
            else:
                add(found)
        return read

    def not_in_plan(self, institution: int) -> str:
        return _("this certificate and level are not in the approved plan of %(institution)s for %(year)s") % {
            "institution": self.lookups.institution_names.get(institution, "?"),
            "year": self.lookups.year,
        }


class CandidateChecker(RowChecker):
    """Per-candidate rows → records (line, year, certificate, level, hash, sealed, masked ID, masked name,
    exam date, result, certificate number) in bulk.COLUMNS order."""

    FIELDS = (
        "institution",
        "name",
        "id_number",
        "certificate",
        "level",
        "major",
        "exam_date",
        "result",
        "certificate_number",
    )

    def __init__(self, lookups: Lookups, positions: dict[str, int], *, width: int, today: date):
        super().__init__(lookups, positions, width=width)
        self.today = today
        self.seen: dict[bytes, int] = {}
        self.fixed = lookups.institution_id
        sealer = crypto.Sealer()
        self.hash, self.seal = sealer.hash, sealer.seal
        # Text cells as they appear in the file → what they mean, filled in on first sight.
        self.institutions = Resolved(lookups.institution)
        self.certificates = Resolved(lookups.certificate)
        self.levels = Resolved(level_of)
        self.results = Resolved(result_of)
        self.dates = Resolved(date_of)

    def check(self, number: int, cells: list) -> tuple[tuple | None, Issue | None]:
        """One row: (record, None), (None, issue), or (None, None) for an empty row."""
        found: list = []
        issues: list = []
        self.run([(number, cells)], found.append, issues.append)
        return (found[0] if found else None), (issues[0] if issues else None)

    def run(self, rows, add, note, *, every: int = 0, progress=None) -> int:
        """The import's hot loop (a million rows): each good row to `add(record)`, each issue to
        `note(issue)`; returns the rows read and calls `progress(read)` every `every` rows.

        A plain valid row — nearly all of them — passes with dictionary lookups and C calls only,
        everything bound to locals; anything unusual goes to `explain`, which says exactly what is
        wrong (or accepts it after all: a full-width digit, a lower-case x, a date in another form).
        """
        width, pick, field_count, fixed = self.width, self.pick, self.field_count, self.fixed
        institutions, certificates, levels, results, dates = (
            self.institutions,
            self.certificates,
            self.levels,
            self.results,
            self.dates,
        )
        lines, line_of, year, today = self.lookups.lines, self.lookups.line, self.lookups.year, self.today
        check_char, birth_date, unsafe = idnumbers.check_char, idnumbers.birth_date, UNSAFE_TEXT.search
        seen, id_hash, seal, explain = self.seen, self.hash, self.seal, self.explain
        suffixes: dict[tuple, bytes] = {}
        read = 0
        for number, cells in rows:
            if len(cells) != width:
                cells = [("" if c is None else c) for c in cells[:width]] + [""] * (width - len(cells))
            cells.append("")
            values = pick(cells)
            if values.count("") == field_count:
                continue
            read += 1
            if every and read % every == 0:
                progress(read)
            institution_value, name, id_value, certificate_value, level_value, major, date_value, result_value, code = (
                values
            )
            institution = fixed if institution_value == "" else institutions[institution_value]
            certificate = certificates[certificate_value]
            level = levels[level_value]
            result = results[result_value]
            found = lines.get(key3 := (institution, certificate, level))
            exam_date = None
            if (
                found
                and result is not None
                and (fixed is None or institution == fixed)
                and type(id_value) is str
                and len(id_value) == 18
                and id_value.isascii()
                and (first17 := id_value[:17]).isdigit()
                and id_value[17] in "0123456789X"
                and check_char(first17) == id_value[17]
                and type(name) is str
                and type(code) is str
            ):
                born = birth_date(id_value[6:14])
                name, code = name.strip(), code.strip()
                if date_value != "":
                    exam_date = dates[date_value] if type(date_value) is str else date_of(date_value)
                plain = (
                    born is not None
                    and born <= today
                    and 0 < len(name) <= MAX_NAME
                    and len(code) <= MAX_CERTIFICATE_NUMBER
                    and not unsafe(name + code)
                    and (
                        exam_date.year == year if exam_date is not None else date_value == "" and result not in EXAMINED
                    )
                )
            else:
                plain = False
            if not plain:
                record, issue = explain(number, values)
                if issue is not None:
                    note(issue)
                else:
                    add(record)
                continue
            line = found[0][0] if len(found) == 1 else line_of(institution, certificate, level, major)
            digest = id_hash(id_value)
            suffix = suffixes.get(key3)
            if suffix is None:
                suffix = suffixes[key3] = dedupe_key(b"", certificate, level)
            first = seen.setdefault(digest[:16] + suffix, number)
            if first != number:
                note(self.duplicate(number, first))
                continue
            add(
                (
                    line,
                    year,
                    certificate,
                    level,
                    digest,
                    seal(name, id_value),
                    id_value[:3] + "***********" + id_value[-4:],
                    name[0] + "*" * (len(name) - 2) + name[-1] if len(name) > 2 else mask_name(name),
                    exam_date,
                    result,
                    code,
                )
            )
        return read

    def duplicate(self, number: int, first: int) -> Issue:
        return Issue(
            number,
            _("the same candidate, certificate and level as row %(first)s: skipped") % {"first": first},
            DUPLICATE,
        )

    def accept(self, number, line, certificate, level, id_number, name, exam_date, result, code):
        """A good row the slow path let through: de-duplicated, hashed, sealed and masked."""
        digest = self.hash(id_number)
        first = self.seen.setdefault(dedupe_key(digest, certificate, level), number)
        if first != number:
            return None, self.duplicate(number, first)
        record = (
            line,
            self.lookups.year,
            certificate,
            level,
            digest,
            self.seal(name, id_number),
            idnumbers.mask(id_number),
            mask_name(name),
            exam_date,
            result,
            code,
        )
        return record, None

    def explain(self, number: int, values: tuple) -> tuple[tuple | None, Issue | None]:
        """The slow path: every problem of the row, in words; a row that is fine after all (a full-width
        digit, a lower-case x, a date as text in another format) is accepted."""
        institution_value, name, id_value, certificate_value, level_value, major, date_value, result_value, code = (
            values
        )
        problems: list[str] = []
        institution = self.institution(institution_value, problems)
        certificate, level = self.certificate_and_level(certificate_value, level_value, problems)
        line = None
        if institution is not None and certificate is not None and level is not None:
            line = self.lookups.line(institution, certificate, level, major)
            if line is None:
                problems.append(self.not_in_plan(institution))
        id_number = None
        try:
            id_number = idnumbers.clean(id_value, today=self.today)
        except idnumbers.IdNumberError as exc:
            problems.append(exc.message)
        name = name.strip() if type(name) is str else text_of(name)
        if not name:
            problems.append(_("the name is missing"))
        elif len(name) > MAX_NAME:
            problems.append(_("the name is longer than %(max)s characters") % {"max": MAX_NAME})
        elif UNSAFE_TEXT.search(name):
            problems.append(_("the name holds control characters or a backslash"))
        result = result_of(result_value)
        if result is None:
            problems.append(_("the result %(value)s is not understood") % {"value": text_of(result_value)[:20]})
        exam_date = self._exam_date(date_value, result, problems)
        code = code.strip() if type(code) is str else text_of(code)
        if len(code) > MAX_CERTIFICATE_NUMBER:
            problems.append(_("the certificate number is too long"))
        elif UNSAFE_TEXT.search(code):
            problems.append(_("the certificate number holds control characters or a backslash"))
        if problems:
            return None, Issue(number, "；".join(problems))
        return self.accept(number, line, certificate, level, id_number, name, exam_date, result, code)

    def _exam_date(self, value, result: str | None, problems: list[str]) -> date | None:
        if value == "" or value is None:
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

    FIELDS = ("institution", "certificate", "level", "major", "registered", "examined", "passed")

    def __init__(self, lookups: Lookups, positions: dict[str, int], *, width: int):
        super().__init__(lookups, positions, width=width)
        self.seen: dict[int, int] = {}

    def check(self, number: int, cells: list) -> tuple[tuple | None, Issue | None]:
        values = self.values(cells)
        if values is None:
            return None, None
        institution_value, certificate_value, level_value, major, *count_values = values
        problems: list[str] = []
        institution = self.institution(institution_value, problems)
        certificate, level = self.certificate_and_level(certificate_value, level_value, problems)
        line = None
        if institution is not None and certificate is not None and level is not None:
            line, ambiguous = self.lookups.line_by_major(institution, certificate, level, major)
            if ambiguous:
                problems.append(
                    _("the approved plan has this certificate and level for several majors: name the major")
                )
            elif line is None:
                problems.append(self.not_in_plan(institution))
        labels = (_("registered"), _("examined"), _("passed"))
        counts = [count_of(value) for value in count_values]
        for label, found in zip(labels, counts, strict=True):
            if found is None:
                problems.append(_("%(field)s is not a whole number") % {"field": label})
        registered, examined, passed = counts
        if None not in counts and not passed <= examined <= registered:
            problems.append(_("the counts must satisfy passed ≤ examined ≤ registered"))
        if problems:
            return None, Issue(number, "；".join(problems))
        first = self.seen.setdefault(line, number)
        if first != number:
            return None, Issue(number, _("the same line as row %(first)s") % {"first": first})
        return (line, registered, examined, passed), None
