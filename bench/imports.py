"""Import speed at national scale: 11,000 institutions, 1,240 certificate levels, a 100,000-row XLSX.

Runs on a scratch database (SQLite in /tmp unless BENCH_DATABASE_URL is set, e.g. a PostgreSQL
database of your own) and prints figures; nothing is asserted.

    .venv/bin/python bench/imports.py
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/onex_bench_imports.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onex.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from catalog.importers import import_certificates  # noqa: E402
from core.tabular import read_table  # noqa: E402
from institutions.importers import import_bureaus, import_institutions  # noqa: E402
from institutions.models import Institution  # noqa: E402

CITIES = [row["city"] for row in csv.DictReader((settings.SHARED_DATA_DIR / "anhui_cities.csv").open(encoding="utf-8"))]


def timed(label: str, func):
    start = time.perf_counter()
    result = func()
    print(f"{label:<52} {time.perf_counter() - start:7.2f} s  {getattr(result, 'summary', lambda: '')()}")
    return result


def institutions_csv(path: Path, n: int) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["name", "city", "level", "moe_code", "authority", "remarks", "source"])
    for i in range(n):
        writer.writerow(
            [f"基准院校{i:05d}", CITIES[i % 16], "本科" if i % 3 else "专科", f"{4100000000 + i}", "", "", ""]
        )
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def platform_json(path: Path, certificates: int) -> Path:
    items = []
    for c in range(certificates):
        for grade in (1, 2, 3)[: 2 + c % 2]:  # ~2.8 levels a certificate, like the national catalogue
            items.append(
                {
                    "certificateId": f"{c:04d}-{grade}",
                    "certificateName": f"基准证书{c:03d}职业技能等级证书",
                    "certificateGrade": grade,
                    "xzhOrgName": f"基准评价组织{c % 300:03d}",
                }
            )
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return path


def big_xlsx(path: Path, rows: int) -> Path:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["name", "city", "level", "moe_code", "authority", "remarks", "source"])
    for i in range(rows):
        sheet.append([f"行{i}", CITIES[i % 16], "本科", 4100000000 + i, "安徽省", "", "bench"])
    workbook.save(path)
    return path


def main() -> None:
    call_command("migrate", verbosity=0)
    Institution.objects.all().delete()
    settings.IMPORT_MAX_BYTES = 200 * 1024 * 1024
    print(f"database: {settings.DATABASES['default']['ENGINE']}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        import_bureaus(settings.SHARED_DATA_DIR / "anhui_cities.csv")
        csv_path = institutions_csv(tmp / "institutions.csv", 11_000)
        timed("11,000 institutions, first import (create)", lambda: import_institutions(csv_path))
        timed("11,000 institutions, again (unchanged)", lambda: import_institutions(csv_path))
        json_path = platform_json(tmp / "platform.json", 447)
        timed("447 certificates (JSON, 1,117 levels), first import", lambda: import_certificates(json_path))
        timed("447 certificates, again (unchanged)", lambda: import_certificates(json_path))
        xlsx_path = timed("write a 100,000-row XLSX with openpyxl (setup)", lambda: big_xlsx(tmp / "big.xlsx", 100_000))
        print(f"{'  its size':<52} {xlsx_path.stat().st_size / 1e6:7.2f} MB")
        table = timed(
            "read_table of the 100,000-row XLSX (zip check + calamine)",
            lambda: read_table(xlsx_path, required=["name"]),
        )
        print(f"{'  rows read':<52} {len(table.rows):7d}")
    Institution.objects.all().delete()


if __name__ == "__main__":
    main()
