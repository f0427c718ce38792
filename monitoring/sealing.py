"""Checked candidate rows → COPY rows in PostgreSQL's binary format: names and ID numbers sealed
(AES-GCM) and masked, every field with its length in front, a chunk of rows at a time, each step
over whole columns.

Binary, not text: PostgreSQL then parses no text for the integers, the date and the two bytea
columns (hex), and Python formats no hex: ~0.2 s less of PostgreSQL's CPU per 200,000 rows
(bench/bench_progress_import.py; the COPY alone, 1.55 → 1.2 s of PostgreSQL).

Tried and dropped (bench/bench_progress_import.py): doing this in a worker process beside the
import. Sending the columns through multiprocessing cost the import's own process more than the
sealing it saved, and the machine's second core is PostgreSQL's, which indexes the rows meanwhile.
"""

from __future__ import annotations

import struct
from itertools import chain, repeat

from monitoring import crypto, idnumbers

# The binary COPY format's header (signature, no flags, no extension) and trailer (a field count of -1).
SIGNATURE = b"PGCOPY\n\xff\r\n\0" + bytes(8)
TRAILER = b"\xff\xff"
NULL = b"\xff\xff\xff\xff"
LENGTH = struct.Struct(">i").pack
HASH_LENGTH = LENGTH(32)  # HMAC-SHA256
ID_LENGTH = LENGTH(18)  # a masked ID number: the checks let only 18-character numbers through


def mask_name(name: str) -> str:
    """张三丰 → 张*丰, 张三 → 张*: enough to recognise someone on a list, not to identify them."""
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def copy_rows(tail: bytes, heads, dates, digests, sealed, id_masked, name_masked, codes) -> bytes:
    """Rows in COPY's binary format (bulk.COPY_COLUMNS order), each ending with `tail` (the import's
    id as a field); `heads` (the field count, then line, year, certificate, level and result) and
    `dates` come as binary fields, lengths in front, `id_masked` encoded. Joined once for the whole
    chunk: a million rows are formatted here."""
    names = list(map(str.encode, name_masked))
    numbers = list(map(str.encode, codes))
    count = len(digests)
    fields = zip(
        heads,
        dates,
        repeat(HASH_LENGTH, count),
        digests,
        map(LENGTH, map(len, sealed)),
        sealed,
        repeat(ID_LENGTH, count),
        id_masked,
        map(LENGTH, map(len, names)),
        names,
        map(LENGTH, map(len, numbers)),
        numbers,
        repeat(tail, count),
        strict=True,
    )
    return b"".join(chain.from_iterable(fields))


def sealed_rows(sealer: crypto.Sealer, tail: bytes, columns: tuple) -> bytes:
    """Binary COPY rows of checked rows given as columns (encoded heads and dates, hashes, names, ID
    numbers, certificate numbers): names and numbers sealed and masked on the way."""
    heads, dates, digests, names, numbers, codes = columns
    sealed = sealer.seal_many(names, numbers)
    id_masked = idnumbers.mask_column(numbers, encoded=True)
    return copy_rows(tail, heads, dates, digests, sealed, id_masked, list(map(mask_name, names)), codes)
