"""What the import tests share: the real files, a count of every table, files written on the fly."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.apps import apps
from django.conf import settings
from openpyxl import Workbook

CITIES = settings.SHARED_DATA_DIR / "anhui_cities.csv"
INSTITUTIONS = settings.SHARED_DATA_DIR / "anhui_higher_institutions.csv"
CERTIFICATES = settings.SHARED_DATA_DIR / "certificates_sample.csv"


def table_counts() -> dict[str, int]:
    """Rows in every table: a refused import must leave all of them as they were."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def write_csv(path: Path, rows: list[list], *, encoding: str = "utf-8") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))
