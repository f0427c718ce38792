"""Provincial summary at national scale vs a bare xlsxwriter writing the same rows and columns.

Synthetic data: 11,000 institutions, 300,000 plan lines in one round (plus last year's approved
lines, for the new/continuing column), loaded into PostgreSQL with COPY. Each writer runs in its
own fresh process, so its peak memory (ru_maxrss) is its own; the two alternate, and the best of
`--repeat` runs of each is kept. Targets (issue 5): ours ≤ 1.5 × bare, peak memory < 500 MB.

    DATABASE_URL=postgres://postgres@localhost/onex_docs_bench .venv/bin/python bench/bench_provincial_summary.py

The database named in DATABASE_URL is created and migrated if needed; the data is loaded once
and reused (`--reload` to load it again).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onex.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@localhost/onex_docs_bench")

YEAR = 2030
INSTITUTIONS = 11_000
LINES = 300_000
LAST_YEAR_INSTITUTIONS = 8_000
LAST_YEAR_LINES_EACH = 12
BUREAUS = 340
BODIES = 300
CERTIFICATES = 447
MAJORS = [f"专业{i:03d}" for i in range(200)]
REMARKS = ["", "", "", "", "较上年增加，学生报名踊跃", "新增考核专业", "=按实际报名调整", "-较上年减少"]


def create_database(*, afresh: bool = False) -> None:
    """Create the bench's database if it is missing; `afresh`: drop it first (the bench owns it)."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    if "postgresql" not in config["ENGINE"]:
        sys.exit("This bench needs PostgreSQL: set DATABASE_URL=postgres://…")
    admin = psycopg.connect(host=config["HOST"] or "localhost", user=config["USER"], dbname="postgres", autocommit=True)
    if afresh:
        admin.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
    exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
    if not exists:
        admin.execute(f'CREATE DATABASE "{config["NAME"]}"')
    admin.close()


def setup_django() -> None:
    import django

    django.setup()


# ------------------------------------------------------------------------------------------- loading


def copy_rows(model, columns: list[str], rows) -> int:
    """COPY `rows` (tuples in `columns` order) into `model`'s table; other columns get their defaults."""
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    extra, extra_values = [], []
    for field in model._meta.concrete_fields:
        if field.column in columns or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        elif field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        else:
            value = ""
        extra.append(field.column)
        extra_values.append(value)
    connection.ensure_connection()
    count = 0
    with connection.connection.cursor() as cursor:
        sql = f"COPY {model._meta.db_table} ({', '.join(columns + extra)}) FROM STDIN"
        with cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row((*row, *extra_values))
                count += 1
    with connection.cursor() as cursor:
        table = model._meta.db_table
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    return count


def load(rng: random.Random) -> None:
    from django.db import connection, transaction

    from catalog.enums import Level
    from catalog.models import AwardingBody, Certificate, CertificateLevel
    from institutions.enums import InstitutionKind
    from institutions.models import Bureau, Institution
    from plans.enums import PlanStatus
    from plans.models import InstitutionYear, Plan, PlanLine
    from rounds.models import Round

    started = time.perf_counter()
    # Into an empty database: a TRUNCATE … CASCADE of the old data would reach the audit table, which is
    # append-only (its trigger refuses), so a reload starts from a new database instead.
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    create_database(afresh=True)
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        copy_rows(Bureau, ["id", "name", "kind"], ((i, f"城市{i:04d}", "city") for i in range(1, BUREAUS + 1)))
        copy_rows(AwardingBody, ["id", "name"], ((i, f"培训评价组织{i:03d}") for i in range(1, BODIES + 1)))
        certificate_levels: dict[int, list[str]] = {}
        cert_rows, level_rows, level_id = [], [], 0
        for i in range(1, CERTIFICATES + 1):
            cert_rows.append((i, f"证书{i:03d}职业技能等级证书", 1 + i % 4, 1 + i % BODIES, False, "", f"zs{i}"))
            levels = Level.values if i % 3 else Level.values[:2]  # ~1,240 certificate levels in all
            certificate_levels[i] = list(levels)
            for level in levels:
                level_id += 1
                level_rows.append((level_id, i, level))
        copy_rows(
            Certificate,
            ["id", "name", "batch", "awarding_body_id", "restricted", "restricted_reason", "pinyin"],
            cert_rows,
        )
        copy_rows(CertificateLevel, ["id", "certificate_id", "level"], level_rows)
        kinds = rng.choices(
            list(InstitutionKind.values), weights=[10, 25, 5, 60], k=INSTITUTIONS
        )  # applied, higher, provincial secondary, secondary
        copy_rows(
            Institution,
            ["id", "name", "kind", "bureau_id", "platform_account"],
            ((i, f"示例院校{i:05d}", kinds[i - 1], 1 + i % BUREAUS, f"P{i}") for i in range(1, INSTITUTIONS + 1)),
        )
        now_round = Round.objects.create(year=YEAR, season="spring", **Round.notice_defaults(YEAR, "spring"))
        last_round = Round.objects.create(year=YEAR - 1, season="spring", **Round.notice_defaults(YEAR - 1, "spring"))
        statuses = [PlanStatus.BUREAU_REVIEW, PlanStatus.PROVINCIAL_REVIEW, PlanStatus.PUBLISHED]
        plan_status = {i: rng.choice(statuses) for i in range(1, INSTITUTIONS + 1)}
        copy_rows(
            Plan,
            ["id", "institution_id", "round_id", "status"],
            ((i, i, now_round.pk, plan_status[i]) for i in range(1, INSTITUTIONS + 1)),
        )
        last_ids = rng.sample(range(1, INSTITUTIONS + 1), LAST_YEAR_INSTITUTIONS)
        copy_rows(
            Plan,
            ["id", "institution_id", "round_id", "status"],
            ((INSTITUTIONS + n, i, last_round.pk, PlanStatus.PUBLISHED) for n, i in enumerate(last_ids, start=1)),
        )
        copy_rows(
            InstitutionYear,
            ["institution_id", "year", "completion_rate"],
            ((i, YEAR - 1, round(rng.uniform(20, 100), 1)) for i in last_ids),
        )

        def lines_for(plan_id: int, count: int, published: bool):
            seen = set()
            while len(seen) < count:
                certificate = rng.randint(1, CERTIFICATES)
                key = (certificate, rng.choice(certificate_levels[certificate]), rng.choice(MAJORS))
                if key in seen:
                    continue
                seen.add(key)
                headcount = rng.randint(30, 120)
                approved = headcount - rng.randint(0, 10) if published else None
                yield (plan_id, *key, f"{rng.randint(100000, 999999)}", headcount, rng.choice(REMARKS), approved)

        def current_lines():
            base, extra = divmod(LINES, INSTITUTIONS)
            for i in range(1, INSTITUTIONS + 1):
                yield from lines_for(i, base + (1 if i <= extra else 0), plan_status[i] == PlanStatus.PUBLISHED)

        def last_lines():
            for n in range(1, LAST_YEAR_INSTITUTIONS + 1):
                yield from lines_for(INSTITUTIONS + n, LAST_YEAR_LINES_EACH, True)

        columns = ["plan_id", "certificate_id", "level", "major_name", "major_code", "headcount", "remark"]
        columns.append("approved_headcount")
        loaded = copy_rows(PlanLine, columns, current_lines())
        loaded_last = copy_rows(PlanLine, columns, last_lines())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"loaded {INSTITUTIONS:,} institutions, {loaded:,} lines this round and {loaded_last:,} last year "
        f"in {time.perf_counter() - started:.1f} s (COPY)"
    )


def current_round(reload: bool):
    from plans.models import PlanLine
    from rounds.models import Round

    found = Round.objects.filter(year=YEAR, season="spring").first()
    if reload or found is None or PlanLine.objects.filter(plan__round=found).count() != LINES:
        load(random.Random(20301))
        found = Round.objects.get(year=YEAR, season="spring")
    return found


# ------------------------------------------------------------------------------------------- children


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def child_ours(round_id: int, out: str, trace: bool) -> dict:
    import tracemalloc

    from documents.provincial_summary import ProvincialSummary
    from rounds.models import Round

    round_ = Round.objects.get(pk=round_id)
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    count = ProvincialSummary(round_).write(out)
    seconds = time.perf_counter() - started
    result = {"seconds": seconds, "rows": count, "peak_rss_mb": peak_mb()}
    if trace:
        result["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    return result


def child_bare(round_id: int, out: str, fetch_only: bool) -> dict:
    """The same query, streamed with a server-side cursor, written cell by cell with typed xlsxwriter calls."""
    import xlsxwriter
    from django.db import connection, transaction

    from documents.provincial_summary import LINE_COLUMNS, LINE_FIELDS, round_lines
    from rounds.models import Round

    round_ = Round.objects.get(pk=round_id)
    query = round_lines(round_).order_by("plan__institution__bureau_id", "plan__institution__name", "id")
    sql, params = query.values_list(*LINE_FIELDS).query.sql_with_params()
    started = time.perf_counter()
    connection.ensure_connection()
    count = 0
    with transaction.atomic(), connection.connection.cursor(name="bare_lines") as cursor:
        cursor.itersize = 5000
        cursor.execute(sql, params)
        if fetch_only:
            for _row in cursor:
                count += 1
            return {"seconds": time.perf_counter() - started, "rows": count, "peak_rss_mb": peak_mb()}
        book = xlsxwriter.Workbook(out, {"constant_memory": True})
        sheet = book.add_worksheet("全部条目")
        for col, column in enumerate(LINE_COLUMNS):
            sheet.write_string(0, col, column.title)
        row_number = 1
        for bureau, name, kind, status, cert, body, level, major, code, hc, approved, remark, iid, _cid in cursor:
            sheet.write_string(row_number, 0, bureau)
            sheet.write_string(row_number, 1, name)
            sheet.write_string(row_number, 2, kind)
            sheet.write_string(row_number, 3, status)
            sheet.write_string(row_number, 4, cert)
            sheet.write_string(row_number, 5, body)
            sheet.write_string(row_number, 6, level)
            sheet.write_string(row_number, 7, major)
            sheet.write_string(row_number, 8, code)
            sheet.write_number(row_number, 9, hc)
            if approved is None:
                sheet.write_blank(row_number, 10, None)
            else:
                sheet.write_number(row_number, 10, approved)
            sheet.write_string(row_number, 11, "新增")
            sheet.write_number(row_number, 12, iid)
            sheet.write_string(row_number, 13, remark)
            row_number += 1
            count += 1
        book.close()
    return {"seconds": time.perf_counter() - started, "rows": count, "peak_rss_mb": peak_mb()}


def run_child(kind: str, round_id: int, out: str, *flags: str) -> dict:
    command = [sys.executable, __file__, "--child", kind, "--round", str(round_id), "--out", out, *flags]
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=os.environ)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", choices=["ours", "bare", "fetch"])
    parser.add_argument("--round", type=int)
    parser.add_argument("--out")
    parser.add_argument("--trace", action="store_true")
    parser.add_argument("--reload", action="store_true")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    if args.child:
        setup_django()
        if args.child == "ours":
            result = child_ours(args.round, args.out, args.trace)
        else:
            result = child_bare(args.round, args.out, fetch_only=args.child == "fetch")
        print(json.dumps(result))
        return

    create_database()
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    round_id = current_round(args.reload).pk

    with tempfile.TemporaryDirectory() as tmp:
        ours_path, bare_path = f"{tmp}/ours.xlsx", f"{tmp}/bare.xlsx"
        fetch = run_child("fetch", round_id, bare_path)
        ours_runs, bare_runs = [], []
        for _ in range(args.repeat):
            ours_runs.append(run_child("ours", round_id, ours_path))
            bare_runs.append(run_child("bare", round_id, bare_path))
        traced = run_child("ours", round_id, ours_path, "--trace")
        sizes = (Path(ours_path).stat().st_size / 2**20, Path(bare_path).stat().st_size / 2**20)

    ours = min(ours_runs, key=lambda r: r["seconds"])
    bare = min(bare_runs, key=lambda r: r["seconds"])
    ratio = ours["seconds"] / bare["seconds"]
    peak = max(r["peak_rss_mb"] for r in ours_runs)
    bare_peak = max(r["peak_rss_mb"] for r in bare_runs)

    def runs(results):
        return ", ".join(f"{r['seconds']:.1f}" for r in results)

    print(f"rows: {ours['rows']:,} lines (bare {bare['rows']:,}); the query alone: {fetch['seconds']:.1f} s")
    print(f"ours (ProvincialSummary, 4 sheets): {ours['seconds']:.1f} s  [runs: {runs(ours_runs)}]")
    print(f"bare (xlsxwriter constant_memory):  {bare['seconds']:.1f} s  [runs: {runs(bare_runs)}]")
    print(f"ratio ours / bare: {ratio:.2f}x  (target <= 1.5x: {'met' if ratio <= 1.5 else 'NOT met'})")
    print(
        f"peak memory ours: {peak:.0f} MB RSS (Python heap {traced['tracemalloc_peak_mb']:.0f} MB by tracemalloc), "
        f"bare: {bare_peak:.0f} MB RSS  (target < 500 MB: {'met' if peak < 500 else 'NOT met'})"
    )
    print(f"file sizes: ours {sizes[0]:.1f} MB, bare {sizes[1]:.1f} MB")


if __name__ == "__main__":
    main()
