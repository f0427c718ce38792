"""`manage.py restore DIR`: load a backup into an empty database and storage, then check it (see core/backup.py)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from core.backup import BackupError, restore_backup, summary, verify_backup
from core.backup_engines import EngineError


class Command(BaseCommand):
    help = (
        "Restore a backup written by `manage.py backup` into an empty database and an empty file storage, "
        "then check every table's row count and every file's SHA-256 against the backup's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="The backup directory.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database alias to restore into.")
        parser.add_argument("--check-only", action="store_true", help="Only check the backup against its manifest.")

    def handle(self, *args, source: Path, database: str, check_only: bool, **options):
        try:
            if check_only:
                manifest = verify_backup(source)
            else:
                # The restore talks to the database directly; Django's own connection must not hold it open.
                connections[database].close()
                manifest = restore_backup(source, target=connections[database].settings_dict)
        except (BackupError, EngineError) as exc:
            raise CommandError(str(exc)) from exc
        total = summary(manifest)
        verb = "matches its manifest" if check_only else "restored and checked"
        self.stdout.write(
            f"Backup {source} (taken {manifest['created_at']}) {verb}: {total.tables} tables and {total.rows} rows, "
            f"{total.files} uploaded files with their SHA-256."
        )
