"""`manage.py backup DIR`: the database and the uploaded files, with a SHA-256 manifest (see core/backup.py)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from core.backup import BackupError, create_backup, summary
from core.backup_engines import EngineError


class Command(BaseCommand):
    help = "Write a consistent backup of the database and the uploaded files to a new directory."

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path, help="A directory that does not exist yet.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database alias to back up.")

    def handle(self, *args, destination: Path, database: str, **options):
        try:
            manifest = create_backup(destination, using=database)
        except (BackupError, EngineError) as exc:
            raise CommandError(str(exc)) from exc
        total = summary(manifest)
        self.stdout.write(
            f"Backup written to {destination}: {total.tables} tables, {total.rows} rows, "
            f"{total.files} uploaded files, {total.bytes / 1e6:.1f} MB in all."
        )
