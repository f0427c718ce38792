"""Backup → restore round trips into a fresh database of the engine the suite runs on.

Every test here runs on both engines: CI (DATABASE_URL = PostgreSQL) restores into a throwaway database created
beside the test database on the same server; a SQLite run restores into a new file. None of them is skipped.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import datetime
from io import StringIO
from pathlib import Path

import psycopg
import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from audit.models import AuditEvent
from catalog.enums import Level
from core import backup_engines
from core.backup import BackupError, create_backup, restore_backup
from core.dates import SHANGHAI
from plans.models import PlanLine
from plans.services import add_line, open_plan
from tests.conftest import make_certificate

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump reads committed rows only

FILING = datetime(2027, 4, 3, 10, 0, tzinfo=SHANGHAI)
UPLOADS = {
    "scans/2027/签字盖章.pdf": b"%PDF-1.4 stamped scan\n" * 50,
    "progress_imports/2027/04/进度.xlsx": b"PK\x03\x04 not really a workbook",
    "top-level.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
}


def connect(database: dict):
    """A plain DB-API connection to `database`, outside Django."""
    if backup_engines.vendor(database) == "postgresql":
        return psycopg.connect(**backup_engines.libpq_params(database), autocommit=True)
    return sqlite3.connect(database["NAME"], isolation_level=None)


@pytest.fixture
def uploads(settings, tmp_path):
    root = tmp_path / "private"
    settings.STORAGES = settings.STORAGES | {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}}
    }
    storage = FileSystemStorage(location=root)
    for name, content in UPLOADS.items():
        assert storage.save(name, ContentFile(content)) == name
    return storage


@pytest.fixture
def filed(cast, spring):
    """A spring 2027 plan with one line, filed through the services (so the audit trail has rows too)."""
    certificate = make_certificate("物流管理职业技能等级证书", levels=[Level.JUNIOR])
    with time_machine.travel(FILING, tick=False):
        plan = open_plan(actor=cast.staff, round=spring, at=FILING)
        line = {"certificate": certificate, "level": Level.JUNIOR, "major_name": "物流管理", "headcount": 30}
        add_line(actor=cast.staff, plan=plan, **line)
    return plan


@pytest.fixture
def target(tmp_path):
    """A new, empty database of the suite's engine (PostgreSQL: on the same server, dropped afterwards)."""
    source = connection.settings_dict
    if connection.vendor == "sqlite":
        yield {"ENGINE": source["ENGINE"], "NAME": str(tmp_path / "restored.sqlite3")}
        return
    database = {key: source[key] for key in ("ENGINE", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS")}
    database["NAME"] = f"{source['NAME']}_restore"
    server = database | {"NAME": "postgres"}
    with connect(server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database["NAME"]}"')
    yield database
    with connect(server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}" WITH (FORCE)')


@pytest.fixture
def restored_storage(tmp_path):
    return FileSystemStorage(location=tmp_path / "restored-private")


def source_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def file_hashes(storage) -> dict[str, str]:
    hashes = {}
    root = Path(storage.location)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        hashes[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def test_backup_restore_round_trip_gives_identical_row_counts_and_file_hashes(
    filed, uploads, target, restored_storage, tmp_path
):
    before = source_counts()

    manifest = create_backup(tmp_path / "backup")
    restore_backup(tmp_path / "backup", target=target, storage=restored_storage)

    restored = backup_engines.counts(target)
    assert restored == before
    assert manifest["tables"] == before
    assert before["plans_planline"] == 1
    assert before["audit_auditevent"] == AuditEvent.objects.count() == 2
    assert before["accounts_user"] == 12
    assert file_hashes(restored_storage) == file_hashes(uploads)
    assert sorted(file_hashes(restored_storage)) == sorted(UPLOADS)


def test_restored_database_keeps_the_rows_and_the_append_only_audit_triggers(
    filed, uploads, target, restored_storage, tmp_path
):
    create_backup(tmp_path / "backup")

    restore_backup(tmp_path / "backup", target=target, storage=restored_storage)

    with connect(target) as restored:
        lines = restored.execute("SELECT major_name, headcount FROM plans_planline").fetchall()
        actions = restored.execute("SELECT action FROM audit_auditevent ORDER BY id").fetchall()
        with pytest.raises((psycopg.Error, sqlite3.Error)):
            restored.execute("UPDATE audit_auditevent SET reason = 'rewritten'")
    assert [tuple(row) for row in lines] == [("物流管理", 30)]
    assert [tuple(row) for row in actions] == [("plan.create",), ("line.add",)]


def test_manifest_lists_engine_migrations_counts_and_every_file(filed, uploads, tmp_path):
    manifest = create_backup(tmp_path / "backup")

    on_disk = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))
    manifest_hash = hashlib.sha256((tmp_path / "backup" / "manifest.json").read_bytes()).hexdigest()
    assert on_disk == manifest
    assert (tmp_path / "backup" / "manifest.json.sha256").read_text() == f"{manifest_hash}  manifest.json\n"
    assert (manifest["format"], manifest["engine"]) == (1, connection.vendor)
    applied = {row.app: row.name for row in MigrationRecorder.Migration.objects.order_by("id")}
    assert manifest["migrations"] == applied
    assert "audit" in applied
    dump = "database.dump" if connection.vendor == "postgresql" else "database.sqlite3"
    assert sorted(entry["path"] for entry in manifest["files"]) == sorted([dump, *(f"files/{n}" for n in UPLOADS)])
    for entry in manifest["files"]:
        content = (tmp_path / "backup" / entry["path"]).read_bytes()
        assert (entry["sha256"], entry["size"]) == (hashlib.sha256(content).hexdigest(), len(content))


@pytest.mark.parametrize("altered", ["files/scans/2027/签字盖章.pdf", "dump", "manifest.json"])
def test_restore_refuses_an_altered_backup_and_leaves_the_target_empty(
    altered, filed, uploads, target, restored_storage, tmp_path
):
    create_backup(tmp_path / "backup")
    if altered == "dump":
        altered = "database.dump" if connection.vendor == "postgresql" else "database.sqlite3"
    path = tmp_path / "backup" / altered
    content = path.read_bytes()
    path.write_bytes(content + b" " if altered == "manifest.json" else content[:-1] + b"!")

    with pytest.raises(BackupError) as refused:
        restore_backup(tmp_path / "backup", target=target, storage=restored_storage)

    expected = "does not match manifest.json.sha256" if altered == "manifest.json" else f"{altered}: SHA-256"
    assert expected in str(refused.value)
    assert backup_engines.tables_present(target) == []
    assert file_hashes(restored_storage) == {}


def test_restore_refuses_a_file_the_manifest_does_not_list(filed, uploads, target, restored_storage, tmp_path):
    create_backup(tmp_path / "backup")
    (tmp_path / "backup" / "files" / "extra.pdf").write_bytes(b"slipped in")

    with pytest.raises(BackupError, match="files/extra.pdf: not in the manifest"):
        restore_backup(tmp_path / "backup", target=target, storage=restored_storage)


def test_restore_refuses_a_database_that_has_a_table(filed, uploads, target, restored_storage, tmp_path):
    create_backup(tmp_path / "backup")
    with connect(target) as existing:
        existing.execute("CREATE TABLE leftover (id integer)")

    with pytest.raises(BackupError, match=r"target database is not empty \(1 tables: .*leftover\)"):
        restore_backup(tmp_path / "backup", target=target, storage=restored_storage)

    assert file_hashes(restored_storage) == {}


def test_restore_refuses_a_storage_that_has_files(filed, uploads, target, restored_storage, tmp_path):
    create_backup(tmp_path / "backup")
    restored_storage.save("already-here.txt", ContentFile(b"x"))

    with pytest.raises(BackupError, match=r"target file storage is not empty \(1 files\)"):
        restore_backup(tmp_path / "backup", target=target, storage=restored_storage)

    assert backup_engines.tables_present(target) == []


def test_restore_command_refuses_the_migrated_database_it_runs_on(filed, uploads, tmp_path):
    call_command("backup", str(tmp_path / "backup"), stdout=StringIO())
    lines_before = PlanLine.objects.count()

    with pytest.raises(CommandError, match="target database is not empty"):
        call_command("restore", str(tmp_path / "backup"))

    assert PlanLine.objects.count() == lines_before == 1


def test_backup_command_reports_what_it_wrote_and_restore_check_only_accepts_it(filed, uploads, tmp_path):
    written, checked = StringIO(), StringIO()

    call_command("backup", str(tmp_path / "backup"), stdout=written)
    call_command("restore", str(tmp_path / "backup"), "--check-only", stdout=checked)

    tables = len(source_counts())
    rows = sum(source_counts().values())
    assert written.getvalue().startswith(f"Backup written to {tmp_path / 'backup'}: {tables} tables, {rows} rows, 3 ")
    assert f"matches its manifest: {tables} tables and {rows} rows, 3 uploaded files" in checked.getvalue()


def test_backup_refuses_an_existing_directory(filed, tmp_path):
    (tmp_path / "backup").mkdir()

    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(tmp_path / "backup"))


class FailingStorage(FileSystemStorage):
    """Reading the second file fails, as a disk error half-way through a backup would."""

    opened = 0

    def open(self, name, mode="rb"):
        self.opened += 1
        if self.opened == 2:
            raise OSError("read error")
        return super().open(name, mode)


def test_interrupted_backup_leaves_no_directory_behind(filed, uploads, tmp_path):
    (tmp_path / "backups").mkdir()

    with pytest.raises(OSError, match="read error"):
        create_backup(tmp_path / "backups" / "tonight", storage=FailingStorage(location=uploads.location))

    assert list((tmp_path / "backups").iterdir()) == []
