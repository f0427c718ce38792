"""What the import commands share: run an importer on a file, print its report, fail on errors."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class ImportCommand(BaseCommand):
    """Subclasses set `importer` (a function of a path returning an ImportReport) and `what`."""

    what = "rows"
    default_file: str | None = None

    def add_arguments(self, parser):
        nargs = "?" if self.default_file else None
        parser.add_argument("file", nargs=nargs, help="a CSV, XLSX or JSON file")

    def default_path(self) -> Path:  # pragma: no cover - only for commands with default_file
        raise NotImplementedError

    def handle(self, *args, **options):
        path = Path(options["file"]) if options.get("file") else self.default_path()
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        report = self.importer(path)
        write_report(self, report, label=f"{self.what} from {path.name}")


def write_report(command: BaseCommand, report, *, label: str) -> None:
    """Print warnings, errors and counts; raise CommandError (exit status 1) when there were errors."""
    for warning in report.warnings:
        command.stdout.write(command.style.WARNING(f"warning: {warning}"))
    for error in report.errors:
        command.stderr.write(command.style.ERROR(f"error: {error}"))
    if report.errors:
        raise CommandError(f"{label}: {len(report.errors)} error(s); nothing was imported")
    command.stdout.write(command.style.SUCCESS(f"{label}: {report.summary()}"))
