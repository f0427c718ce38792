"""Lists on the 申报表 (majors, teachers and assessors, experts) entered as table rows with add / remove buttons
(static/js/onex.js), one input per column, posted as `<name>-<row>-<column>`. The rows are the stored JSON
(a list of dicts); text typed one entry per line ("name | title | affiliation", as before) is still read."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    input_type: str = "text"


def _split(row: str, parts: int) -> list[str]:
    for sep in ("|", "｜", "，", ",", "\t"):
        if sep in row:
            cells = [c.strip() for c in row.split(sep)]
            return (cells + [""] * parts)[:parts]
    return ([row.strip()] + [""] * parts)[:parts]


def rows_of(value, columns: Sequence[Column]) -> list[dict[str, str]]:
    """`value` (stored rows, or text one entry per line) as rows of text cells; empty rows dropped."""
    keys = [column.key for column in columns]
    if isinstance(value, str):
        lines = [line.strip() for line in value.splitlines() if line.strip()]
        return [dict(zip(keys, _split(line, len(keys)), strict=True)) for line in lines]
    rows = []
    for row in value or []:
        cells = {key: str(row.get(key, "") if row.get(key) is not None else "").strip() for key in keys}
        if any(cells.values()):
            rows.append(cells)
    return rows


class RowsWidget(forms.Widget):
    def __init__(self, columns: Sequence[Column], attrs=None):
        super().__init__(attrs)
        self.columns = list(columns)

    def id_for_label(self, id_):
        return f"{id_}_0_{self.columns[0].key}" if id_ else id_

    def _row(self, name: str, index: str, cells: dict, first_id: str = "") -> SafeString:
        inputs = []
        for column in self.columns:
            id_attr = format_html(' id="{}"', first_id) if first_id and column is self.columns[0] else ""
            inputs.append(
                format_html(
                    '<td><input type="{}" name="{}-{}-{}" value="{}" class="form-control form-control-sm"'
                    ' aria-label="{}"{}></td>',
                    column.input_type,
                    name,
                    index,
                    column.key,
                    cells.get(column.key, ""),
                    column.label,
                    id_attr,
                )
            )
        remove = format_html(
            '<td><button type="button" class="btn btn-sm btn-outline-danger" data-rows-remove aria-label="{}">'
            '<i class="bi bi-x-lg"></i></button></td>',
            _("remove the row"),
        )
        return format_html("<tr>{}{}</tr>", mark_safe("".join(inputs)), remove)  # noqa: S308 (escaped above)

    def render(self, name, value, attrs=None, renderer=None):
        rows = rows_of(value, self.columns) + [{}]  # an empty row to type the next entry into
        first_id = self.id_for_label((attrs or {}).get("id", ""))
        body = mark_safe(  # noqa: S308 (each row is format_html)
            "".join(str(self._row(name, str(i), row, first_id if i == 0 else "")) for i, row in enumerate(rows))
        )
        head = format_html_join("", "<th>{}</th>", ((column.label,) for column in self.columns))
        return format_html(
            '<div data-rows="{}" data-next="{}"><table class="table table-sm mb-1"><thead><tr>{}<th></th></tr>'
            "</thead><tbody>{}</tbody></table><template>{}</template>"
            '<button type="button" class="btn btn-sm btn-outline-secondary" data-rows-add>'
            '<i class="bi bi-plus-lg"></i> {}</button></div>',
            name,
            len(rows),
            head,
            body,
            self._row(name, "__row__", {}),
            _("add a row"),
        )

    def value_from_datadict(self, data, files, name):
        pattern = re.compile(rf"^{re.escape(name)}-(\d+)-(\w+)$")
        found: dict[int, dict[str, str]] = {}
        for key in data:
            match = pattern.match(key)
            if match:
                found.setdefault(int(match[1]), {})[match[2]] = data.get(key, "")
        if not found:
            return data.get(name)  # text one entry per line, as the form took it before
        return [found[index] for index in sorted(found)]

    def value_omitted_from_data(self, data, files, name):
        return False


class RowsField(forms.Field):
    """A list of rows (dicts of text cells) entered in a RowsWidget; empty rows are dropped."""

    def __init__(self, *, columns: Sequence[Column], **kwargs):
        self.columns = list(columns)
        kwargs.setdefault("widget", RowsWidget(self.columns))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value) -> list[dict[str, str]]:
        return rows_of(value, self.columns)

    def prepare_value(self, value):
        return rows_of(value, self.columns)


def row_text(row: dict) -> str:
    """A row as people read it in an error message."""
    return " | ".join(value for value in row.values() if value)
