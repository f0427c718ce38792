"""Writing checked candidates in bulk, and keeping each line's candidate counts by deltas.

Two ways in, chosen per import (measured in bench/bench_progress_import.py):

* DirectSink (PostgreSQL, no candidate of the year yet for these certificates: a first import):
  COPY straight into the candidate table *while the file is being read*, so that PostgreSQL's
  backend parses, stores and indexes rows on the other core while Python checks the next ones.
  The line counts are the tallies Python kept. A row that exists after all (a race) aborts the
  COPY with Conflict; the job then runs again the second way.
* SpoolSink (SQLite, or a year that has candidates: re-imports of cumulative exports): rows wait
  in a spool (a temporary file in COPY format on PostgreSQL, a list on SQLite), go into a staging
  table, and one upsert writes new rows and changed results. The line counts move by
  (rows after) − (rows before) for the rows the upsert touched, each side read through the unique
  index; nothing scans the candidate table.

Callers hold one transaction around the writing and `monitoring.line_counts.apply_deltas`, so a failure leaves
nothing.
"""

from __future__ import annotations

import contextlib
import struct
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from catalog.enums import Level
from monitoring import crypto, idnumbers, sealing
from monitoring.enums import Superseded
from monitoring.models import Candidate
from monitoring.sealing import mask_name
from monitoring.versions import SupersededCandidate

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
# The order of a COPY row (sealing.copy_rows): what depends on the line and result only comes
# first, as one piece of bytes remembered per line and result.
COPY_COLUMNS = (
    "line_id",
    "year",
    "certificate_id",
    "level",
    "result",
    "exam_date",
    "id_hash",
    "sealed",
    "id_masked",
    "name_masked",
    "certificate_number",
    "source_import_id",
)
KEY = ("certificate_id", "level", "year", "id_hash")
UPDATED = ("sealed", "name_masked", "exam_date", "result", "certificate_number", "source_import_id")
COMPARED = ("name_masked", "exam_date", "result", "certificate_number")
TABLE = Candidate._meta.db_table
COPY_IN = f"({', '.join(COPY_COLUMNS)}) FROM STDIN (FORMAT binary)"
# A row's first fields in the binary COPY format: the field count, then line (bigint), year (smallint) and
# certificate (bigint), each with its length in front.
ROW_START = struct.Struct(">hiqihiq")
PG_EPOCH = date(2000, 1, 1)
DAY = struct.Struct(">ii")  # a date: its length (4), then days since PostgreSQL's epoch
# The levels in the order the candidates' unique index keeps them (their texts' order).
LEVEL_RANKS = {level: rank for rank, level in enumerate(sorted(Level.values))}


class Conflict(Exception):
    """A candidate of this import exists already: write it the upsert way instead."""


class Place(NamedTuple):
    """Where a checked row goes: its line, certificate, level and result, with the start of its COPY row."""

    line: int
    year: int
    certificate: int
    level: str
    result: str
    head: bytes  # line, year, certificate, level and result: the start of a binary COPY row
    counted: tuple[int, str]  # (line, result), what the line counts go by
    dedupe: bytes  # certificate and level, the end of a de-duplication key
    rank: int  # certificate and level as one integer, in the order of the candidates' unique index

    @classmethod
    def of(cls, line: int, year: int, certificate: int, level: str, result: str) -> Place:
        head = ROW_START.pack(len(COPY_COLUMNS), 8, line, 2, year, 8, certificate)
        head += b"".join(sealing.LENGTH(len(text)) + text for text in (level.encode(), result.encode()))
        dedupe, rank = dedupe_suffix(certificate, level), certificate * len(LEVEL_RANKS) + LEVEL_RANKS[level]
        return cls(line, year, certificate, level, result, head, (line, result), dedupe, rank)


class ExamDate(NamedTuple):
    day: date | None
    field: bytes  # in COPY's binary format, its length in front

    @classmethod
    def of(cls, day: date | None) -> ExamDate:
        return cls(day, DAY.pack(4, (day - PG_EPOCH).days) if day is not None else sealing.NULL)


def dedupe_suffix(certificate: int, level: str) -> bytes:
    return certificate.to_bytes(4, "big") + level.encode()


HEAD, COUNTED, DEDUPE, RANK = attrgetter("head"), attrgetter("counted"), attrgetter("dedupe"), attrgetter("rank")
DATE_FIELD = attrgetter("field")


@dataclass
class Batch:
    """Checked, de-duplicated candidates, column by column, as `CandidateChecker` hands them over:
    one list per field, one entry per row. Names and ID numbers are still in the clear: the sinks
    seal and mask them on the way out (monitoring.sealing), and nothing else reads them."""

    places: list[Place]
    dates: list[ExamDate]
    digests: list[bytes]
    names: list[str]
    numbers: list[str]
    codes: list[str]

    def __len__(self) -> int:
        return len(self.digests)

    def columns(self) -> tuple:
        """What monitoring.sealing makes COPY rows of: plain lists, one per field, the rows in the order of the
        candidates' unique index (certificate, then level) and each line's rows in file order (a stable sort; a
        line has one certificate and level, and candidates are numbered in COPY order, so a line still lists
        them as the file did). PostgreSQL then inserts each index entry near the one before: a quarter less of
        its CPU for the rows (bench/bench_progress_import.py). Sorted by an integer (Place.rank): a third
        less of this step's time than by the bytes of the certificate and level."""
        order = sorted(range(len(self.places)), key=list(map(RANK, self.places)).__getitem__)
        places, dates, digests, names, numbers, codes = (
            list(map(column.__getitem__, order))
            for column in (self.places, self.dates, self.digests, self.names, self.numbers, self.codes)
        )
        return list(map(HEAD, places)), list(map(DATE_FIELD, dates)), digests, names, numbers, codes

    def records(self, sealer: crypto.Sealer) -> list[tuple]:
        """(line, year, certificate, level, hash, sealed, masked ID, masked name, date, result, number)."""
        sealed = sealer.seal_many(self.names, self.numbers)
        id_masked = idnumbers.mask_column(self.numbers)
        return [
            (p.line, p.year, p.certificate, p.level, digest, seal, masked, mask_name(name), d.day, p.result, code)
            for p, d, digest, seal, masked, name, code in zip(
                self.places, self.dates, self.digests, sealed, id_masked, self.names, self.codes, strict=True
            )
        ]

    def tally(self) -> Counter:
        """(line, result) → rows."""
        return Counter(map(COUNTED, self.places))


def import_field(job_id: int) -> bytes:
    """The last field of every COPY row: the import's id (bigint)."""
    return struct.pack(">iq", 8, job_id)


def year_has_candidates(year: int, certificate_ids) -> bool:
    return Candidate.objects.filter(year=year, certificate_id__in=list(certificate_ids)).exists()


class DirectSink:
    """COPY into the candidate table as rows arrive (PostgreSQL, inside the job's transaction)."""

    def __init__(self, job_id: int):
        self.tally: Counter = Counter()
        self.count = 0
        self.cursor = connection.cursor()
        self._copy_block = self.cursor.cursor.copy(f"COPY {TABLE} {COPY_IN}")
        self.copy = self._copy_block.__enter__()
        self.copy.write(sealing.SIGNATURE)
        self.open = True
        self.tail = import_field(job_id)
        self.sealer = crypto.Sealer()

    def add(self, batch: Batch) -> None:
        self.tally.update(batch.tally())
        self.count += len(batch)
        self.copy.write(sealing.sealed_rows(self.sealer, self.tail, batch.columns()))

    def finish(self) -> tuple[int, dict]:
        self.open = False
        try:
            self.copy.write(sealing.TRAILER)
            self._copy_block.__exit__(None, None, None)
        except Exception as exc:
            if getattr(exc, "sqlstate", "") == "23505":  # unique_violation: someone got there first
                raise Conflict from exc
            raise
        return self.count, self.tally

    def close(self) -> None:
        if self.open:
            self.open = False
            aborted = RuntimeError("import aborted")
            # Ends the COPY with an error; the transaction is rolled back by the caller either way.
            with contextlib.suppress(Exception):
                self._copy_block.__exit__(RuntimeError, aborted, None)
        self.cursor.close()


class SpoolSink:
    """Rows wait until the file is read; then staging table, upsert, and deltas from both sides."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.count = 0
        self.postgres = connection.vendor == "postgresql"
        if self.postgres:
            self.file = tempfile.TemporaryFile(mode="w+b")  # noqa: SIM115 - closed by close()
            self.file.write(sealing.SIGNATURE)
            self.tail = import_field(job_id)
        else:
            self.rows: list[tuple] = []
        self.sealer = crypto.Sealer()

    def add(self, batch: Batch) -> None:
        self.count += len(batch)
        if self.postgres:
            self.file.write(sealing.sealed_rows(self.sealer, self.tail, batch.columns()))
        else:
            # sqlite3's own date adapter is deprecated: dates go in as ISO text, as Django stores them.
            self.rows.extend(
                (*r[:8], r[8].isoformat() if r[8] else None, *r[9:], self.job_id) for r in batch.records(self.sealer)
            )

    def finish(self) -> tuple[int, dict]:
        with connection.cursor() as cursor:
            self._stage(cursor)
            before = self._counts(cursor, changed_only=True)
            self._keep_replaced(cursor)
            cursor.execute(_upsert_sql())
            after = self._counts(cursor, changed_only=False)
            cursor.execute(f"DROP TABLE {STAGE}")
        deltas = Counter(after)
        deltas.subtract(before)
        return sum(after.values()), {k: v for k, v in deltas.items() if v}

    def _stage(self, cursor) -> None:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        if self.postgres:
            columns = ", ".join(f"{c} {t}" for c, t in zip(COLUMNS, STAGE_TYPES, strict=True))
            cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({columns}) ON COMMIT DROP")
            self.file.write(sealing.TRAILER)
            self.file.seek(0)
            with cursor.cursor.copy(f"COPY {STAGE} {COPY_IN}") as copy:
                while chunk := self.file.read(1 << 20):
                    copy.write(chunk)
        else:
            cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({', '.join(COLUMNS)})")
            marks = ", ".join(["%s"] * len(COLUMNS))
            insert = f"INSERT INTO {STAGE} ({', '.join(COLUMNS)}) VALUES ({marks})"  # noqa: S608 - constants only
            cursor.executemany(insert, self.rows)
        cursor.execute(f"ANALYZE {STAGE}")

    def _keep_replaced(self, cursor) -> None:
        """The rows the upsert is about to change, copied to the superseded candidates first (through the
        unique index, like `_counts`): a withdrawal of this import puts them back."""
        on = " AND ".join(f"c.{k} = s.{k}" for k in KEY)
        old = ", ".join(f"c.{k}" for k in COMPARED)
        new = ", ".join(f"s.{k}" for k in COMPARED)
        cursor.execute(
            f"INSERT INTO {SupersededCandidate._meta.db_table} ({', '.join(COLUMNS)}, superseded_by_id, cause, "  # noqa: S608
            f"superseded_at) SELECT {', '.join(f'c.{k}' for k in COLUMNS)}, %s, %s, %s FROM {TABLE} c "
            f"JOIN {STAGE} s ON {on} WHERE ({old}) IS DISTINCT FROM ({new})",
            [self.job_id, Superseded.REPLACED, connection.ops.adapt_datetimefield_value(timezone.now())],
        )

    def _counts(self, cursor, *, changed_only: bool) -> Counter:
        """(line, result) → rows, over the candidates the staged rows match: before the upsert only
        those it will change, after it those it wrote (they carry this import's id)."""
        on = " AND ".join(f"c.{k} = s.{k}" for k in KEY)
        if changed_only:
            old = ", ".join(f"c.{k}" for k in COMPARED)
            new = ", ".join(f"s.{k}" for k in COMPARED)
            where = f"({old}) IS DISTINCT FROM ({new})"
        else:
            where = f"c.source_import_id = {int(self.job_id)}"
        cursor.execute(
            f"SELECT c.line_id, c.result, count(*) FROM {TABLE} c JOIN {STAGE} s ON {on} "  # noqa: S608
            f"WHERE {where} GROUP BY c.line_id, c.result"
        )
        return Counter({(line, result): n for line, result, n in cursor.fetchall()})

    def close(self) -> None:
        if self.postgres:
            self.file.close()
        else:
            self.rows = []


def _upsert_sql() -> str:
    cols = ", ".join(COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in UPDATED)
    old = ", ".join(f"{TABLE}.{c}" for c in COMPARED)
    new = ", ".join(f"excluded.{c}" for c in COMPARED)
    # "WHERE true" keeps SQLite from reading ON CONFLICT as a join constraint. The line stays the
    # line the candidate was first counted on.
    return (
        f"INSERT INTO {TABLE} ({cols}) SELECT {cols} FROM {STAGE} WHERE true "  # noqa: S608 - constants only
        f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET {updates} "
        f"WHERE ({old}) IS DISTINCT FROM ({new})"
    )
