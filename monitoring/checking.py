"""Rows of an import file in; checked records (ready to write) and issues (with their row numbers) out.
Candidate rows go a chunk at a time, each check over whole columns (CandidateChecker._chunk); totals rows one by
one (monitoring.totals_checking).

The same checkers serve the preview (the first rows, before anything is written) and the job.
An issue never holds a whole ID number: the checkers only ever put the masked form in messages.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import batched, compress, filterfalse, repeat
from operator import attrgetter, concat, is_, itemgetter, ne
from typing import cast

from django.utils.translation import gettext as _

from monitoring import bulk, crypto, idnumbers
from monitoring.enums import Result
from monitoring.lookups import Lookups, Resolved, date_of, level_of, result_of, text_of

ERROR = "error"
DUPLICATE = "duplicate"
# Control characters and the backslash have no place in a name or a certificate number (and PostgreSQL
# stores no NUL in text).
EXAMINED = Result.examined()
UNSAFE_TEXT = re.compile(r"[\x00-\x1f\x7f\\]")
MAX_NAME = 50
MAX_CERTIFICATE_NUMBER = 64
# Rows checked a column at a time: enough to keep the per-chunk work small, few enough to keep the
# chunk's lists small next to the sheet python-calamine holds.
CHUNK_ROWS = 5_000
NO_DATE = bulk.ExamDate.of(None)
FIRST16 = itemgetter(slice(0, 16))
# A de-duplication key: the first 16 bytes of the ID number's hash + the certificate and level, joined in C.
# (operator.concat of two bytes is bytes; typeshed only says Sequence.)
JOIN_KEY = cast(Callable[[bytes, bytes], bytes], concat)
ROW = attrgetter("row")


@dataclass(frozen=True)
class Issue:
    row: int
    message: str
    kind: str = ERROR

    def as_dict(self) -> dict:
        return {"row": self.row, "kind": self.kind, "message": self.message}


@dataclass
class Cells:
    """A chunk's values by column, as a batch takes them."""

    places: list
    dates: list
    ids: list
    names: list
    codes: list

    def keep(self, positions) -> None:
        """Only the rows at `positions`."""
        self.places, self.dates, self.ids, self.names, self.codes = (
            list(map(column.__getitem__, positions))
            for column in (self.places, self.dates, self.ids, self.names, self.codes)
        )

    def batch(self, digests) -> bulk.Batch:
        return bulk.Batch(
            places=self.places, dates=self.dates, digests=digests, names=self.names, numbers=self.ids, codes=self.codes
        )


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

    def not_in_plan(self, institution: int) -> str:
        return _("this certificate and level are not in the approved plan of %(institution)s for %(year)s") % {
            "institution": self.lookups.institution_names.get(institution, "?"),
            "year": self.lookups.year,
        }


def plain_text(values: Sequence, longest: int, *, required: bool) -> tuple[list[str], set[int]]:
    """A column of text cells stripped, and the positions the fast path leaves to `explain`: not
    text, empty (when `required`), longer than `longest`, or holding UNSAFE_TEXT."""
    try:
        stripped = list(map(str.strip, values))
    except TypeError:  # a cell that is not text
        stripped = None
    if (
        stripped is not None
        and (not required or min(map(len, stripped), default=1) > 0)
        and max(map(len, stripped), default=0) <= longest
        and not UNSAFE_TEXT.search("".join(stripped))
    ):
        return stripped, set()
    stripped = [v.strip() if type(v) is str else "" for v in values]
    bad = {
        i
        for i, (value, text) in enumerate(zip(values, stripped, strict=True))
        if type(value) is not str or (required and not text) or len(text) > longest or UNSAFE_TEXT.search(text)
    }
    return stripped, bad


class CandidateChecker(RowChecker):
    """Per-candidate rows → bulk.Batch of records (line, year, certificate, level, hash, sealed,
    masked ID, masked name, exam date, result, certificate number), CHUNK_ROWS rows at a time."""

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
        self.sealer = crypto.Sealer()
        self.positions = tuple(positions.get(f) for f in self.FIELDS)
        # Cells as they appear in the file → what they mean, filled in on first sight: where a row
        # goes from (institution, certificate, level, major, result), and its exam date.
        self.places = Resolved(self._place)
        self.dates = Resolved(self._date, kinds=(str, date, datetime))
        self.births = idnumbers.Births(today)

    def check(self, number: int, cells: list) -> tuple[tuple | None, Issue | None]:
        """One row: (record, None), (None, issue), or (None, None) for an empty row."""
        batches: list[bulk.Batch] = []
        issues: list[Issue] = []
        self.run([(number, cells)], batches.append, issues.append)
        return (batches[0].records(self.sealer)[0] if batches else None), (issues[0] if issues else None)

    def run(self, rows, add, note, *, every: int = 0, progress=None) -> int:
        """The import's hot loop (a million rows): the good rows of each chunk to `add(batch)`, each
        issue to `note(issue)` in row order; returns the rows read and calls `progress(read)` each
        time another `every` rows are read."""
        read, due = 0, every
        # The loop makes no reference cycles, only short-lived lists and tuples by the million: the
        # cyclic collector would keep rescanning them for nothing (a tenth of the loop's time).
        collecting = gc.isenabled()
        gc.disable()
        try:
            for chunk in batched(rows, CHUNK_ROWS):
                read += self._chunk(chunk, add, note)
                if every and read >= due:
                    progress(read)
                    due = (read // every + 1) * every
        finally:
            if collecting:
                gc.enable()
        return read

    def _chunk(self, chunk: tuple, add, note) -> int:
        """One chunk, a column at a time: every check runs over whole columns inside C calls (map,
        compress, join, one regular expression); the few rows any check doubts go to `explain`,
        which words what is wrong or accepts the row after all (a full-width digit, a lower-case x, a
        date in another form). Nearly every row of a real export passes with no Python code of its own."""
        numbers, columns = self._columns(chunk)
        cells, doubtful = self._cells(columns)
        issues: list[Issue] = []
        dropped: set[int] = set()
        empty = self._settle(numbers, columns, cells, doubtful, issues, dropped)
        # Positions still in play: all of them, or those the checks did not drop.
        kept = list(filterfalse(dropped.__contains__, range(len(numbers)))) if dropped else range(len(numbers))
        digests, kept, repeated = self._first_of_each(numbers, cells, kept, bool(dropped), issues)
        if dropped or repeated:
            cells.keep(kept)
        for issue in issues:
            note(issue)
        if digests:
            add(cells.batch(digests))
        return len(numbers) - empty

    def _columns(self, chunk: tuple) -> tuple[tuple, list[tuple]]:
        """The chunk's row numbers, and its cells by column in FIELDS order (blank for a column the file lacks)."""
        count = len(chunk)
        rows: Sequence[Sequence]
        numbers, rows = zip(*chunk, strict=True)
        width = self.width
        if min(map(len, rows)) != width or max(map(len, rows)) != width:
            rows = [[("" if c is None else c) for c in r[:width]] + [""] * (width - len(r)) for r in rows]
        by_position = list(zip(*rows, strict=True))
        blank = ("",) * count
        return numbers, [by_position[i] if i is not None else blank for i in self.positions]

    def _cells(self, columns: list[tuple]) -> tuple[Cells, set[int]]:
        """What the columns mean, read column by column, and the positions any check doubts."""
        institutions, name_cells, id_cells, certificates, levels, majors, date_cells, results, code_cells = columns
        count = len(institutions)
        places = list(
            map(self.places.__getitem__, zip(institutions, certificates, levels, majors, results, strict=True))
        )
        dates = list(map(self.dates.__getitem__, date_cells))
        names, doubtful = plain_text(name_cells, MAX_NAME, required=True)
        codes, doubtful_codes = plain_text(code_cells, MAX_CERTIFICATE_NUMBER, required=False)
        doubtful |= doubtful_codes
        doubtful |= idnumbers.failing(id_cells, self.births)
        doubtful.update(compress(range(count), map(is_, places, repeat(None))))
        doubtful.update(compress(range(count), map(is_, dates, repeat(None))))
        for i in compress(range(count), map(is_, dates, repeat(NO_DATE))):
            if places[i] is not None and places[i].result in EXAMINED:  # a result that needs a date
                doubtful.add(i)
        return Cells(places, dates, list(id_cells), names, codes), doubtful

    def _settle(self, numbers, columns, cells: Cells, doubtful: set[int], issues: list, dropped: set[int]) -> int:
        """Each doubtful row worded (its issue to `issues`, its position to `dropped`) or accepted after all (its
        cleaned values into `cells`); returns how many were empty rows, which are no rows."""
        empty = 0
        for i in sorted(doubtful):
            values = tuple(column[i] for column in columns)
            if values.count("") == self.field_count:
                empty += 1
                dropped.add(i)
                continue
            accepted, issue = self.explain(numbers[i], values)
            if issue is not None:
                issues.append(issue)
                dropped.add(i)
            else:
                assert accepted is not None  # `explain` gives the row or its issue
                cells.places[i], cells.dates[i], cells.ids[i], cells.names[i], cells.codes[i] = accepted
        return empty

    def _first_of_each(self, numbers, cells: Cells, kept, dropped: bool, issues: list) -> tuple[list, list, list]:
        """The kept rows' digests, without the rows that repeat one seen before (in this chunk or an earlier one):
        (digests, kept positions, repeated); each repeat's issue goes to `issues`, in row order."""
        digests = self.sealer.hash_many(list(map(cells.ids.__getitem__, kept)) if dropped else cells.ids)
        keys = map(JOIN_KEY, map(FIRST16, digests), map(bulk.DEDUPE, map(cells.places.__getitem__, kept)))
        firsts = list(map(self.seen.setdefault, keys, map(numbers.__getitem__, kept)))
        repeated = list(compress(range(len(kept)), map(ne, firsts, map(numbers.__getitem__, kept))))
        if repeated:
            issues.extend(self.duplicate(numbers[kept[j]], firsts[j]) for j in repeated)
            issues.sort(key=ROW)
            unique = list(filterfalse(set(repeated).__contains__, range(len(kept))))
            digests = list(map(digests.__getitem__, unique))
            kept = list(map(kept.__getitem__, unique))
        return digests, kept, repeated

    def _place(self, key: tuple) -> bulk.Place | None:
        """Where a row with these cells goes, or None (`explain` then says why)."""
        institution_value, certificate_value, level_value, major, result_value = key
        problems: list[str] = []
        institution = self.institution(institution_value, problems)
        certificate, level = self.certificate_and_level(certificate_value, level_value, problems)
        result = result_of(result_value)
        if problems or institution is None or certificate is None or level is None or result is None:
            return None  # a part that is missing was a problem too
        line = self.lookups.line(institution, certificate, level, major)
        return None if line is None else bulk.Place.of(line, self.lookups.year, certificate, level, result)

    def _date(self, value) -> bulk.ExamDate | None:
        """NO_DATE for an empty cell, the exam date if it is one in the import's year, else None."""
        if value == "" or value is None:
            return NO_DATE
        found = date_of(value)
        return bulk.ExamDate.of(found) if found is not None and found.year == self.lookups.year else None

    def duplicate(self, number: int, first: int) -> Issue:
        return Issue(
            number,
            _("the same candidate, certificate and level as row %(first)s: skipped") % {"first": first},
            DUPLICATE,
        )

    def explain(self, number: int, values: tuple) -> tuple[tuple | None, Issue | None]:
        """The slow path: every problem of the row, in words, as (None, issue); a row that is fine
        after all (a full-width digit, a lower-case x, a date as text in another format) comes back
        as ((place, exam date, ID number, name, certificate number), None), cleaned."""
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
        name = self._name(name, problems)
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
        # No problems: every part was found (each missing one is a problem above).
        assert line is not None and certificate is not None and level is not None and result is not None
        place = bulk.Place.of(line, self.lookups.year, certificate, level, result)
        return (place, bulk.ExamDate.of(exam_date), id_number, name, code), None

    def _name(self, value, problems: list[str]) -> str:
        name = value.strip() if type(value) is str else text_of(value)
        if not name:
            problems.append(_("the name is missing"))
        elif len(name) > MAX_NAME:
            problems.append(_("the name is longer than %(max)s characters") % {"max": MAX_NAME})
        elif UNSAFE_TEXT.search(name):
            problems.append(_("the name holds control characters or a backslash"))
        return name

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
