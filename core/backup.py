"""Backups: one directory holding a database dump, the uploaded files and a SHA-256 manifest.

    <backup>/database.dump (PostgreSQL, pg_dump custom format) or database.sqlite3 (SQLite)
    <backup>/files/...            every file of the default storage, same relative paths
    <backup>/manifest.json        format, created_at, engine, migrations, per-table row counts,
                                  sha256 and size of every file above
    <backup>/manifest.json.sha256 the manifest's own hash (`sha256sum -c` reads it)

A backup is written to a hidden sibling directory and renamed into place at the end, so an interrupted backup
never looks complete. A restore checks every hash first, loads only into an empty database and storage, then
checks the restored row counts and file hashes against the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import connections
from django.utils import timezone

from core import backup_engines as engines

FORMAT = 1
MANIFEST = "manifest.json"
MANIFEST_HASH = "manifest.json.sha256"
FILES = "files"
DUMP_NAMES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup cannot be written, trusted or restored; the message says why."""


@dataclass(frozen=True)
class Summary:
    tables: int
    rows: int
    files: int
    bytes: int


def sha256_of(stream) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _file_entry(root: Path, relative: str) -> dict:
    with (root / relative).open("rb") as stream:
        sha256, size = sha256_of(stream)
    return {"path": relative, "sha256": sha256, "size": size}


def _storage_names(storage: Storage, directory: str = "") -> list[str]:
    """Every file name in `storage`, recursively (an absent root is an empty storage)."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return []
    names = [f"{directory}{name}" for name in files]
    for name in directories:
        names += _storage_names(storage, f"{directory}{name}/")
    return sorted(names)


def summary(manifest: dict) -> Summary:
    uploads = [entry for entry in manifest["files"] if entry["path"].startswith(f"{FILES}/")]
    return Summary(
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
        files=len(uploads),
        bytes=sum(entry["size"] for entry in manifest["files"]),
    )


# Writing a backup


def _dump_database(using: str, out_dir: Path) -> tuple[str, str, dict[str, int], dict[str, str]]:
    connection = connections[using]
    engine = engines.vendor(connection.settings_dict)
    dump_name = DUMP_NAMES[engine]
    if engine == "postgresql":
        counts, migrations = engines.pg_dump(connection.settings_dict, out_dir / dump_name)
    else:
        # Through Django's own connection, so an in-memory test database can be copied too.
        connection.ensure_connection()
        counts, migrations = engines.sqlite_dump(connection.connection, out_dir / dump_name)
    return engine, dump_name, counts, migrations


def _copy_files(storage: Storage, out_dir: Path) -> list[dict]:
    entries = []
    for name in _storage_names(storage):
        relative = f"{FILES}/{name}"
        target = out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, target.open("wb") as copy:
            shutil.copyfileobj(source, copy, CHUNK)
        entries.append(_file_entry(out_dir, relative))
    return entries


def _write_manifest(out_dir: Path, manifest: dict) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    (out_dir / MANIFEST).write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    (out_dir / MANIFEST_HASH).write_text(f"{digest}  {MANIFEST}\n", encoding="utf-8")


def _fsync_tree(root: Path) -> None:
    for directory, _, files in os.walk(root):
        for name in files:
            with open(os.path.join(directory, name), "rb") as stream:
                os.fsync(stream.fileno())


def create_backup(destination: Path, *, using: str = "default", storage: Storage | None = None) -> dict:
    """Write a backup of database `using` and the default storage to `destination` (which must not exist).

    Side effects: creates `destination` (nothing at all if anything fails). Returns the manifest.
    """
    destination = Path(destination).absolute()
    if destination.exists():
        raise BackupError(f"{destination} already exists; name a new directory for the backup.")
    if not destination.parent.is_dir():
        raise BackupError(f"{destination.parent} is not a directory.")
    storage = storage or storages["default"]
    work = Path(tempfile.mkdtemp(prefix=f".{destination.name}.partial-", dir=destination.parent))
    try:
        created_at = timezone.now()
        # The database first: files uploaded meanwhile are at worst unreferenced extras in the backup.
        engine, dump_name, counts, migrations = _dump_database(using, work)
        files = [_file_entry(work, dump_name), *_copy_files(storage, work)]
        manifest = {
            "format": FORMAT,
            "created_at": created_at.isoformat(),
            "engine": engine,
            "migrations": migrations,
            "tables": counts,
            "files": files,
        }
        _write_manifest(work, manifest)
        _fsync_tree(work)
        work.rename(destination)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


# Checking and restoring a backup


def verify_backup(source: Path) -> dict:
    """The manifest of the backup at `source`, once the manifest and every file match their SHA-256."""
    source = Path(source)
    try:
        text = (source / MANIFEST).read_bytes()
        recorded = (source / MANIFEST_HASH).read_text(encoding="utf-8").split()[0]
    except (FileNotFoundError, IndexError) as exc:
        raise BackupError(f"{source} is not a complete backup: {MANIFEST} or {MANIFEST_HASH} is missing.") from exc
    if hashlib.sha256(text).hexdigest() != recorded:
        raise BackupError(f"{MANIFEST} does not match {MANIFEST_HASH}: the backup was altered.")
    manifest = json.loads(text)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Backup format {manifest.get('format')!r} is not supported (this version reads {FORMAT}).")
    listed = {entry["path"] for entry in manifest["files"]}
    present = {path.relative_to(source).as_posix() for path in source.rglob("*") if path.is_file()}
    present -= {MANIFEST, MANIFEST_HASH}
    problems = [f"{path}: missing" for path in sorted(listed - present)]
    problems += [f"{path}: not in the manifest" for path in sorted(present - listed)]
    for entry in manifest["files"]:
        if entry["path"] in present and _file_entry(source, entry["path"]) != entry:
            problems.append(f"{entry['path']}: SHA-256 or size differs from the manifest (altered or damaged)")
    if problems:
        raise BackupError("The backup does not match its manifest:\n  " + "\n  ".join(problems))
    return manifest


def _require_empty(target: dict, storage: Storage) -> None:
    if present := engines.tables_present(target):
        shown = ", ".join(present[:5]) + (", …" if len(present) > 5 else "")
        raise BackupError(
            f"The target database is not empty ({len(present)} tables: {shown}); restore into a new, empty database."
        )
    if names := _storage_names(storage):
        raise BackupError(f"The target file storage is not empty ({len(names)} files); restore into an empty one.")


def _restore_files(source: Path, manifest: dict, storage: Storage) -> None:
    for entry in manifest["files"]:
        if not entry["path"].startswith(f"{FILES}/"):
            continue
        name = entry["path"].removeprefix(f"{FILES}/")
        with (source / entry["path"]).open("rb") as stream:
            saved = storage.save(name, File(stream, name=name))
        if saved != name:
            raise BackupError(f"The storage saved {name} as {saved}; the restore is incomplete.")


def _check_restored(manifest: dict, target: dict, storage: Storage) -> None:
    counts = engines.counts(target)
    problems = [
        f"table {name}: {counts.get(name)} rows restored, {manifest['tables'].get(name)} in the backup"
        for name in sorted(set(counts) | set(manifest["tables"]))
        if counts.get(name) != manifest["tables"].get(name)
    ]
    for entry in manifest["files"]:
        if entry["path"].startswith(f"{FILES}/"):
            with storage.open(entry["path"].removeprefix(f"{FILES}/"), "rb") as stream:
                sha256, size = sha256_of(stream)
            if (sha256, size) != (entry["sha256"], entry["size"]):
                problems.append(f"{entry['path']}: restored file differs from the backup")
    if problems:
        raise BackupError("The restored data does not match the backup:\n  " + "\n  ".join(problems))


def restore_backup(source: Path, *, target: dict, storage: Storage | None = None) -> dict:
    """Restore the backup at `source` into the empty database `target` (a DATABASES entry) and empty `storage`.

    Refuses an altered backup, another engine's backup and a non-empty target. Side effects: the target database
    gets the schema, rows and triggers of the backup; the storage gets its files. Afterwards every table's row
    count and every file's SHA-256 are checked against the manifest. Returns the manifest.
    """
    source = Path(source)
    storage = storage or storages["default"]
    manifest = verify_backup(source)
    engine = engines.vendor(target)
    if manifest["engine"] != engine:
        raise BackupError(f"This is a {manifest['engine']} backup; the target database is {engine}.")
    _require_empty(target, storage)
    engines.restore(target, source / DUMP_NAMES[engine])
    _restore_files(source, manifest, storage)
    _check_restored(manifest, target, storage)
    return manifest
