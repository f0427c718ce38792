"""Checked candidate rows → COPY text: names and ID numbers sealed (AES-GCM) and masked, every
field formatted, a chunk of rows at a time, each step over whole columns.

Tried and dropped (bench/bench_progress_import.py): doing this in a worker process beside the
import. Sending the columns through multiprocessing cost the import's own process more than the
sealing it saved, and the machine's second core is PostgreSQL's, which indexes the rows meanwhile.
"""

from __future__ import annotations

from binascii import hexlify

from monitoring import crypto, idnumbers

BYTEA = b"\\\\x"  # hex bytea in COPY's text format, its backslash doubled


def mask_name(name: str) -> str:
    """张三丰 → 张*丰, 张三 → 张*: enough to recognise someone on a list, not to identify them."""
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def copy_text(tail: bytes, heads, dates, digests, sealed, id_masked, name_masked, codes) -> bytes:
    """Rows in COPY's text format (bulk.COPY_COLUMNS order), UTF-8, each ending with `tail` (a tab,
    the import's id, a line break); `heads`, `dates` and `id_masked` come encoded. Text needs no
    escaping: the checks refuse tabs, line breaks and backslashes in names and certificate numbers
    (checking.UNSAFE_TEXT); bytea goes as hex. Joined per column as bytes: a million rows are
    formatted here, and encoding them once joined would cost as much again (the names make the
    text wide)."""
    rows = map(
        b"\t".join,
        zip(
            heads,
            dates,
            map(BYTEA.__add__, map(hexlify, digests)),
            map(BYTEA.__add__, map(hexlify, sealed)),
            id_masked,
            map(str.encode, name_masked),
            map(str.encode, codes),
            strict=True,
        ),
    )
    return tail.join(rows) + tail if digests else b""


def sealed_text(sealer: crypto.Sealer, tail: bytes, columns: tuple) -> bytes:
    """COPY text of checked rows given as columns (encoded heads and date texts, hashes, names, ID
    numbers, certificate numbers): names and numbers sealed and masked on the way."""
    heads, dates, digests, names, numbers, codes = columns
    sealed = sealer.seal_many(names, numbers)
    id_masked = idnumbers.mask_column(numbers, encoded=True)
    return copy_text(tail, heads, dates, digests, sealed, id_masked, list(map(mask_name, names)), codes)
