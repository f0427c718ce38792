"""Progress import at national scale: 1,000,000 per-candidate rows from one .xlsx on PostgreSQL.

Prints, for the same file in the same run:
  baseline  = python-calamine reads every row + PostgreSQL COPY writes the same rows (no checks);
  OneX      = the real import job (zip/XML checks, header mapping, GB 11643 check digit, lookups of
              institution / certificate / level / approved line, de-duplication, AES-GCM sealing,
              HMAC hashing, COPY to a staging table, upsert, per-line and rollup recount);
their times, the ratio (target ≤ 1.5×, issue 21), rows per second and each one's peak memory (target < 1 GB).
Each measurement runs in its own process, so peak memory is that phase's alone. Nothing is asserted.
Where the time goes: each run's CPU seconds in Python and in its PostgreSQL backend (read from
/proc; the backend works on the other core while Python reads, so on a busy machine its share
shows in the wall time), their sum's ratio (steadier than the wall time on a shared machine), and a
breakdown by step: the baseline does none of the job's work beyond reading the sheet and COPY (no
check, no hash, no sealing; text columns without an index), so the breakdown shows what the job's
extra time buys. `--repeat N` runs the whole comparison N times on a fresh database each time and
also prints the ratio of the best times: on a shared machine single runs are noisy.

Runs on its own database (onex_bench_import, created and dropped here; --keep keeps it) and caches the
generated workbook in bench/out/.

    .venv/bin/python bench/bench_progress_import.py [--rows 1000000] [--repeat 1] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = os.environ.get("BENCH_DB_NAME", "onex_bench_import")
SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@localhost")
os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onex.settings")
# The benchmark's file is national scale, far above the default IMPORT_MAX_ROWS (100,000 per file).
os.environ.setdefault("IMPORT_MAX_ROWS", "10000000")
os.environ.setdefault("ONEX_ID_KEY", "YmVuY2gta2V5LW5vdC1mb3ItcHJvZHVjdGlvbi0wMDA=")
OUT = ROOT / "bench" / "out"
YEAR = 2027
INSTITUTIONS = 400
BUREAUS = 16
CERTIFICATES = 300
LINES_PER_INSTITUTION = 12
HEADERS = ["院校名称", "姓名", "身份证号", "证书名称", "等级", "考核日期", "考核结果", "证书编号"]
LEVELS = ("初级", "中级", "高级")
RESULTS = ("通过", "通过", "不通过", "缺考", "")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def backend_cpu(pid: int) -> float:
    """CPU seconds of a PostgreSQL backend on this machine (NaN when /proc does not show it)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def plan_of(i: int) -> list[tuple[int, int]]:
    """Institution i's approved lines: (certificate number, level index)."""
    return [((i * 7 + k * 13) % CERTIFICATES, (i + k) % 3) for k in range(LINES_PER_INSTITUTION)]


def workbook(rows: int) -> Path:
    """1 row in 50 is bad (its check digit), 1 in 100 repeats an earlier candidate."""
    from monitoring.idnumbers import make_valid

    path = OUT / f"progress_{rows}.xlsx"
    if path.exists():
        return path
    import xlsxwriter

    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("考生")
    sheet.write_row(0, 0, HEADERS)
    day = date(YEAR, 3, 1)
    for r in range(1, rows + 1):
        n = r - 1 if r % 100 else r - 51  # every 100th row repeats the candidate 50 rows earlier
        i = n % INSTITUTIONS
        cert, level = plan_of(i)[n % LINES_PER_INSTITUTION]
        first17 = f"{340100 + n % 90:06d}{date(2000, 1, 1) + timedelta(days=n % 3000):%Y%m%d}{n // 3000 % 1000:03d}"
        number = make_valid(first17)
        if r % 50 == 7:
            number = number[:-1] + ("0" if number[-1] != "0" else "1")
        result = RESULTS[n % 5]
        sheet.write_string(r, 0, f"基准院校{i:04d}")
        sheet.write_string(r, 1, f"考生{n % 9973}")
        sheet.write_string(r, 2, number)
        sheet.write_string(r, 3, f"基准证书{cert:03d}职业技能等级证书")
        sheet.write_string(r, 4, LEVELS[level])
        sheet.write_string(r, 5, (day + timedelta(days=n % 200)).isoformat() if result else "")
        sheet.write_string(r, 6, result)
        sheet.write_string(r, 7, f"Z{n:09d}" if result == "通过" else "")
    book.close()
    print(f"generated {path.name} ({rows:,} rows) in {time.perf_counter() - started:.1f} s")
    return path


def seed() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from accounts.enums import Role
    from accounts.models import User
    from catalog.models import Certificate, CertificateLevel
    from institutions.enums import InstitutionKind
    from institutions.models import Bureau, Institution
    from plans.enums import PlanStatus
    from plans.models import Plan, PlanLine
    from rounds.models import Round

    call_command("migrate", verbosity=0)
    bureaus = Bureau.objects.bulk_create([Bureau(name=f"基准市{b:02d}") for b in range(BUREAUS)])
    kinds = list(InstitutionKind.values)
    institutions = Institution.objects.bulk_create(
        [
            Institution(name=f"基准院校{i:04d}", kind=kinds[i % 4], bureau=bureaus[i % BUREAUS], is_example=True)
            for i in range(INSTITUTIONS)
        ]
    )
    certificates = Certificate.objects.bulk_create(
        [Certificate(name=f"基准证书{c:03d}职业技能等级证书", batch=1, pinyin="jz") for c in range(CERTIFICATES)]
    )
    CertificateLevel.objects.bulk_create(
        [CertificateLevel(certificate=c, level=lv) for c in certificates for lv in ("junior", "intermediate", "senior")]
    )
    spring = Round.objects.create(year=YEAR, season="spring", **Round.notice_defaults(YEAR, "spring"))
    plans = Plan.objects.bulk_create(
        [Plan(institution=inst, round=spring, status=PlanStatus.PUBLISHED) for inst in institutions]
    )
    levels = ("junior", "intermediate", "senior")
    PlanLine.objects.bulk_create(
        [
            PlanLine(
                plan=plan,
                certificate=certificates[cert],
                level=levels[level],
                major_name="基准专业",
                headcount=300,
                approved_headcount=300,
            )
            for i, plan in enumerate(plans)
            for cert, level in plan_of(i)
        ]
    )
    User.objects.create_user(username="bench_admin", password="bench-password-1", role=Role.PROVINCIAL_ADMIN)


class Steps:
    """Wall, Python CPU and PostgreSQL CPU seconds spent in named steps, for the breakdown."""

    def __init__(self, backend: int):
        self.backend = backend
        self.spent: dict[str, list[float]] = {}

    def now(self) -> tuple[float, float, float]:
        return time.perf_counter(), own_cpu(), backend_cpu(self.backend)

    def add(self, label: str, start: tuple[float, float, float]) -> None:
        found = self.spent.setdefault(label, [0.0, 0.0, 0.0])
        for i, (end, begun) in enumerate(zip(self.now(), start, strict=True)):
            found[i] += end - begun

    def wrap(self, owner, name: str, label: str) -> None:
        """Times every call of owner.name (a function of the job's modules) as `label`."""
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            start = self.now()
            try:
                return original(*args, **kwargs)
            finally:
                self.add(label, start)

        setattr(owner, name, timed)


def phase_baseline(path: Path) -> dict:
    """What reading and writing the rows costs with no checks at all."""
    import psycopg
    import python_calamine

    started, cpu = time.perf_counter(), own_cpu()
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        backend = conn.info.backend_pid
        steps = Steps(backend)
        pg_cpu = backend_cpu(backend)
        conn.execute("DROP TABLE IF EXISTS bench_baseline")
        conn.execute(
            "CREATE TABLE bench_baseline (institution text, name text, id_number text, certificate text, "
            "level text, exam_date text, result text, certificate_number text)"
        )
        step = steps.now()
        sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        steps.add("sheet parsed (python-calamine)", step)
        step = steps.now()
        rows = 0
        with conn.cursor() as cursor, cursor.copy("COPY bench_baseline FROM STDIN") as copy:
            for index, row in enumerate(sheet.iter_rows()):
                if index:
                    copy.write_row(row)
                    rows += 1
        conn.commit()
        steps.add("rows to COPY (8 text columns, no index)", step)
        pg_cpu = backend_cpu(backend) - pg_cpu
    return {
        "seconds": time.perf_counter() - started,
        "rows": rows,
        "peak_mb": peak_mb(),
        "cpu": own_cpu() - cpu,
        "pg_cpu": pg_cpu,
        "steps": steps.spent,
    }


def time_steps(backend: int) -> Steps:
    """The job's steps timed where they are (its modules' functions wrapped): the file checks, python-calamine,
    reading and checking the rows (sealing and COPY rows inside it), the end of the COPY, the write-up."""
    from monitoring import bulk, jobs, xlsx

    steps = Steps(backend)
    steps.wrap(xlsx, "check", "file checked (zip and XML bombs, formulas)")
    steps.wrap(xlsx, "rows", "sheet parsed (python-calamine)")
    steps.wrap(jobs, "_read", "rows read and checked")
    steps.wrap(bulk.DirectSink, "add", "sealing, masking, binary COPY rows")
    steps.wrap(bulk.DirectSink, "finish", "COPY ended (PostgreSQL indexes the last rows)")
    steps.wrap(jobs, "_write_up", "line counts, rollups, audit")
    return steps


def job_steps(spent: dict[str, list[float]], total: list[float]) -> dict[str, list[float]]:
    """The steps without overlap: reading minus the parse and the sealing inside it, and the rest of the job."""
    spent = {label: list(values) for label, values in spent.items()}
    reading = spent.pop("rows read and checked", [0.0, 0.0, 0.0])
    for inner in ("sheet parsed (python-calamine)", "sealing, masking, binary COPY rows"):
        reading = [a - b for a, b in zip(reading, spent.get(inner, [0.0, 0.0, 0.0]), strict=True)]
    steps = {"rows checked, de-duplicated, hashed (PostgreSQL: the COPY meanwhile)": reading, **spent}
    steps["the rest (lookups, job state, the file deleted)"] = [
        t - sum(values[i] for values in steps.values()) for i, t in enumerate(total)
    ]
    return steps


def phase_onex(path: Path) -> dict:
    """The real job, as the worker runs it."""
    import django

    django.setup()
    from django.core.files import File
    from django.db import connection

    from accounts.models import User
    from monitoring import columns, jobs
    from monitoring.enums import ImportKind, ImportMode, ImportStatus
    from monitoring.models import Candidate, ProgressImport

    job = ProgressImport(
        kind=ImportKind.CANDIDATES,
        year=YEAR,
        original_name=path.name,
        created_by=User.objects.get(username="bench_admin"),
        headers=HEADERS,
        mapping=columns.guess(ImportKind.CANDIDATES, HEADERS),
        mode=ImportMode.GOOD_ROWS,
        status=ImportStatus.QUEUED,
    )
    with path.open("rb") as handle:
        job.file.save(f"bench-{os.getpid()}.xlsx", File(handle), save=False)
    job.save()
    before = peak_mb()
    connection.ensure_connection()
    backend = connection.connection.info.backend_pid
    steps = time_steps(backend)
    pg_cpu = backend_cpu(backend)
    started, cpu = time.perf_counter(), own_cpu()
    status = jobs.run(job.pk)
    seconds = time.perf_counter() - started
    cpu, pg_cpu = own_cpu() - cpu, backend_cpu(backend) - pg_cpu
    job.refresh_from_db()
    return {
        "seconds": seconds,
        "status": status,
        "read": job.rows_read,
        "written": job.rows_written,
        "bad": job.error_count,
        "duplicates": job.duplicates,
        "candidates": Candidate.objects.count(),
        "peak_mb": peak_mb(),
        "peak_before_job_mb": before,
        "cpu": cpu,
        "pg_cpu": pg_cpu,
        "steps": job_steps(steps.spent, [seconds, cpu, pg_cpu]),
    }


def child(phase: str, path: Path) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--phase", phase, "--file", str(path)], check=True, capture_output=True, text=True
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--repeat", type=int, default=1, help="run the comparison this many times")
    parser.add_argument("--phase", choices=["seed", "baseline", "onex"])
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.phase:
        path = Path(args.file) if args.file else None
        result = {
            "seed": lambda: seed() or {},
            "baseline": lambda: phase_baseline(path),
            "onex": lambda: phase_onex(path),
        }[args.phase]()
        print(json.dumps(result))
        return

    path = workbook(args.rows)
    best: dict[str, float] = {}
    ratios, cpu_ratios = [], []
    for run in range(1, args.repeat + 1):
        baseline, onex = compare(path, keep=args.keep)
        rows = baseline["rows"]
        if run == 1:
            print(f"file: {path.name}, {path.stat().st_size / 1e6:.1f} MB, {rows:,} data rows")
        if args.repeat > 1:
            print(f"run {run} of {args.repeat}")
        for label, found in (("baseline (calamine read + COPY)", baseline), ("OneX import job", onex)):
            print(
                f"{label:33s} {found['seconds']:7.1f} s  {rows / found['seconds']:9,.0f} rows/s  "
                f"peak {found['peak_mb']:6.0f} MB  CPU: Python {found['cpu']:5.1f} s, "
                f"PostgreSQL {found['pg_cpu']:5.1f} s"
            )
        ratio = onex["seconds"] / baseline["seconds"]
        ratios.append(ratio)
        print(f"ratio OneX / baseline             {ratio:7.2f}×   (target ≤ 1.5×, memory < 1024 MB)")
        cpu_ratio = (onex["cpu"] + onex["pg_cpu"]) / (baseline["cpu"] + baseline["pg_cpu"])
        cpu_ratios.append(cpu_ratio)
        print(f"ratio of CPU, Python + PostgreSQL {cpu_ratio:7.2f}×   (steadier than wall time on a shared machine)")
        breakdown(baseline, onex)
        print(
            f"job: status {onex['status']}, read {onex['read']:,}, written {onex['written']:,}, "
            f"bad {onex['bad']:,}, duplicates {onex['duplicates']:,}, "
            f"candidates in the table {onex['candidates']:,}"
        )
        best["baseline"] = min(best.get("baseline", float("inf")), baseline["seconds"])
        best["onex"] = min(best.get("onex", float("inf")), onex["seconds"])
    if args.repeat > 1:
        print(
            f"best of {args.repeat}: baseline {best['baseline']:.1f} s, OneX {best['onex']:.1f} s, "
            f"ratio {best['onex'] / best['baseline']:.2f}×; ratios {', '.join(f'{r:.2f}' for r in ratios)}; "
            f"CPU ratios {', '.join(f'{r:.2f}' for r in cpu_ratios)}"
        )
        print(f"load average at the end: {', '.join(f'{n:.1f}' for n in os.getloadavg())}")


def breakdown(baseline: dict, onex: dict) -> None:
    """Each one's steps: seconds of wall time, of Python CPU and of its PostgreSQL backend's CPU."""
    print(f"  {'where the time goes':<72} {'wall s':>7} {'Python':>7} {'PG':>7}")
    for name, found in (("baseline", baseline), ("OneX", onex)):
        for label, (wall, cpu, pg) in found["steps"].items():
            print(f"  {name:<9}{label:<63} {wall:7.2f} {cpu:7.2f} {pg:7.2f}")


def compare(path: Path, *, keep: bool) -> tuple[dict, dict]:
    """One baseline and one OneX run on a freshly seeded database."""
    admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    admin_sql(f"CREATE DATABASE {DB_NAME}")
    try:
        child("seed", path)
        return child("baseline", path), child("onex", path)
    finally:
        if not keep:
            admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


if __name__ == "__main__":
    main()
