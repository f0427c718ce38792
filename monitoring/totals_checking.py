"""Rows of a totals file (one line's registered, examined and passed per row) in; (line, counts) and issues out.
The checks shared with candidate rows (institution, certificate, level) are monitoring.checking.RowChecker's."""

from __future__ import annotations

from django.utils.translation import gettext as _

from monitoring.checking import Issue, RowChecker
from monitoring.lookups import Lookups, count_of


class TotalsChecker(RowChecker):
    """Per-line totals rows → (line, registered, examined, passed)."""

    FIELDS = ("institution", "certificate", "level", "major", "registered", "examined", "passed")

    def __init__(self, lookups: Lookups, positions: dict[str, int], *, width: int):
        super().__init__(lookups, positions, width=width)
        self.seen: dict[int, int] = {}

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
        # passed > examined > registered is implausible, not unreadable: the job holds such lines for a
        # confirmation (monitoring.importlines), the preview shows them (monitoring.previewing).
        if problems or line is None:  # no line without a problem saying why
            return None, Issue(number, "；".join(problems))
        first = self.seen.setdefault(line, number)
        if first != number:
            return None, Issue(number, _("the same line as row %(first)s") % {"first": first})
        return (line, registered, examined, passed), None
