"""Writing checked rows in bulk: PostgreSQL COPY into a staging table, then one upsert; SQLite
gets the same statements with executemany. Call inside a transaction holding `year_lock`.

Checked candidate records wait in a spool while the file is read: on PostgreSQL a temporary
file already in COPY's text format (a million rows never sit in memory), on SQLite a list.
"""

from __future__ import annotations

import tempfile

from django.db import connection
from django.utils import timezone

from monitoring.enums import ProgressSource
from monitoring.models import Candidate, LineProgress
from monitoring.rollups import chunks, lines_from_candidates, refresh_certificates, refresh_institutions, upsert_lines
from plans.models import PlanLine

STAGE = "monitoring_candidate_stage"
COLUMNS = (
    "line_id",
    "year",
    "certificate_id",
    "level",
    "id_hash",
    "sealed",
    "id_masked",
    "name_masked",
    "exam_date",
    "result",
    "certificate_number",
    "source_import_id",
)
STAGE_TYPES = (
    "bigint",
    "smallint",
    "bigint",
    "varchar(20)",
    "bytea",
    "bytea",
    "varchar(18)",
    "varchar(50)",
    "date",
    "varchar(12)",
    "varchar(64)",
    "bigint",
)
CONFLICT = ("id_hash", "certificate_id", "level", "year")
UPDATED = ("sealed", "name_masked", "exam_date", "result", "certificate_number", "source_import_id")
COMPARED = ("name_masked", "exam_date", "result", "certificate_number")
# COPY's text format: backslash escapes, tab separates, newline ends a row.
ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
BUFFER_ROWS = 20_000


class CopySpool:
    """Records as lines of COPY text in a temporary file."""

    def __init__(self, job_id: int):
        self.file = tempfile.TemporaryFile(mode="w+b")  # noqa: SIM115 - closed by close()
        self.tail = f"\t{job_id}\n"
        self.buffer: list[str] = []
        self.count = 0

    def add(self, r: tuple) -> None:
        self.buffer.append(
            f"{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\t\\\\x{r[4].hex()}\t\\\\x{r[5].hex()}\t{r[6]}\t{r[7].translate(ESCAPES)}"
            f"\t{r[8].isoformat() if r[8] else '\\N'}\t{r[9]}\t{r[10].translate(ESCAPES)}{self.tail}"
        )
        self.count += 1
        if len(self.buffer) >= BUFFER_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            self.file.write("".join(self.buffer).encode())
            self.buffer = []

    def close(self) -> None:
        self.file.close()


class ListSpool:
    def __init__(self, job_id: int):
        self.job_id = job_id
        self.rows: list[tuple] = []
        self.count = 0

    def add(self, r: tuple) -> None:
        # sqlite3's own date adapter is deprecated: dates go in as ISO text, which is what Django stores.
        self.rows.append((*r[:8], r[8].isoformat() if r[8] else None, *r[9:], self.job_id))
        self.count += 1

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.rows = []


def new_spool(job_id: int) -> CopySpool | ListSpool:
    return CopySpool(job_id) if connection.vendor == "postgresql" else ListSpool(job_id)


def _upsert_sql() -> str:
    table = Candidate._meta.db_table
    cols = ", ".join(COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in UPDATED)
    old = ", ".join(f"{table}.{c}" for c in COMPARED)
    new = ", ".join(f"excluded.{c}" for c in COMPARED)
    # "WHERE true" keeps SQLite from reading ON CONFLICT as a join constraint.
    return (
        f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {STAGE} WHERE true "  # noqa: S608 - constants only
        f"ON CONFLICT ({', '.join(CONFLICT)}) DO UPDATE SET {updates} "
        f"WHERE ({old}) IS DISTINCT FROM ({new})"
    )


def write_candidates(spool: CopySpool | ListSpool, *, year: int) -> int:
    """Upsert the spooled candidates (one per ID hash, certificate, level and year), recount the
    lines they touch and the rollups above them. Returns the rows inserted or changed."""
    spool.flush()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        if connection.vendor == "postgresql":
            columns = ", ".join(f"{c} {t}" for c, t in zip(COLUMNS, STAGE_TYPES, strict=True))
            cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({columns}) ON COMMIT DROP")
            spool.file.seek(0)
            with cursor.cursor.copy(f"COPY {STAGE} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                while chunk := spool.file.read(1 << 20):
                    copy.write(chunk)
            # A data-modifying CTE: the upsert reports which lines its rows landed on, counted by PostgreSQL.
            upsert = _upsert_sql()
            cursor.execute(f"WITH up AS ({upsert} RETURNING line_id) SELECT line_id, count(*) FROM up GROUP BY 1")  # noqa: S608
            landed = cursor.fetchall()
            written = sum(n for _line, n in landed)
            touched = {line for line, _n in landed}
        else:
            cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({', '.join(COLUMNS)})")
            marks = ", ".join(["%s"] * len(COLUMNS))
            insert = f"INSERT INTO {STAGE} ({', '.join(COLUMNS)}) VALUES ({marks})"  # noqa: S608 - constants only
            cursor.executemany(insert, spool.rows)
            # A candidate already on another line (another major) stays there: recount that line too.
            cursor.execute(
                f"SELECT DISTINCT c.line_id FROM {Candidate._meta.db_table} c JOIN {STAGE} s "  # noqa: S608
                f"ON c.id_hash = s.id_hash AND c.certificate_id = s.certificate_id AND c.level = s.level "
                f"AND c.year = s.year UNION SELECT DISTINCT line_id FROM {STAGE}"
            )
            touched = {row[0] for row in cursor.fetchall()}
            cursor.execute(_upsert_sql())
            written = cursor.rowcount
            cursor.execute(f"DROP TABLE {STAGE}")
    institutions, certificates = lines_from_candidates(touched, year=year)
    refresh_institutions(year, institutions)
    refresh_certificates(year, certificates)
    return written


def write_totals(records: list[tuple], *, year: int, source: str = ProgressSource.TOTALS) -> int:
    """Set (registered, examined, passed) of lines: records are (line id, registered, examined, passed)."""
    by_line = {r[0]: r for r in records}
    now = timezone.now()
    rows, institutions, certificates = [], set(), set()
    for ids in chunks(by_line):
        for pk, institution, certificate in PlanLine.objects.filter(pk__in=ids).values_list(
            "pk", "plan__institution_id", "certificate_id"
        ):
            _line, registered, examined, passed = by_line[pk]
            institutions.add(institution)
            certificates.add(certificate)
            rows.append(
                LineProgress(
                    line_id=pk,
                    institution_id=institution,
                    year=year,
                    certificate_id=certificate,
                    registered=registered,
                    examined=examined,
                    passed=passed,
                    source=source,
                    updated_at=now,
                )
            )
    upsert_lines(rows)
    refresh_institutions(year, institutions)
    refresh_certificates(year, certificates)
    return len(rows)
