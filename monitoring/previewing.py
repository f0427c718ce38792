"""The first rows of an uploaded file as the import would read them, before anything is written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from monitoring import columns, idnumbers, xlsx
from monitoring.checking import DUPLICATE, CandidateChecker, TotalsChecker
from monitoring.enums import ImportKind
from monitoring.lookups import Lookups, date_of, text_of
from monitoring.models import ProgressImport
from monitoring.sealing import mask_name

PREVIEW_ROWS = 10


@dataclass(frozen=True)
class PreviewRow:
    number: int
    values: list[str]
    problem: str
    duplicate: bool


def shown(field: str, value) -> str:
    """A cell as the preview shows it: names and ID numbers masked, dates as dates."""
    if value in ("", None):
        return ""
    if field == "id_number":
        return idnumbers.mask(text_of(value) if isinstance(value, str) else repr(value))
    if field == "name":
        return mask_name(text_of(value))
    if field == "exam_date":
        found = date_of(value)
        return found.isoformat() if found else text_of(value)
    return text_of(value)[:80]


def preview(job: ProgressImport, mapping: dict[str, str]) -> tuple[list[columns.Field], list[PreviewRow]]:
    """The mapped fields and the first PREVIEW_ROWS data rows, each with what the import would say of it."""
    rows = xlsx.preview(Path(job.file.path), limit=PREVIEW_ROWS + 1)
    if not rows:
        return [], []
    headers = rows[0][1]
    positions = columns.positions(job.kind, mapping, headers)
    lookups = Lookups.load(year=job.year, institution_id=job.institution_id)
    if job.kind == ImportKind.CANDIDATES:
        checker = CandidateChecker(lookups, positions, width=len(headers), today=timezone.localdate())
    else:
        checker = TotalsChecker(lookups, positions, width=len(headers))
    fields = [f for f in columns.fields_for(job.kind) if f.key in positions]
    out = []
    for number, cells in rows[1:]:
        _record, issue = checker.check(number, cells)
        values = [shown(f.key, cells[positions[f.key]] if positions[f.key] < len(cells) else "") for f in fields]
        out.append(
            PreviewRow(
                number=number,
                values=values,
                problem=issue.message if issue else "",
                duplicate=bool(issue and issue.kind == DUPLICATE),
            )
        )
    return fields, out
