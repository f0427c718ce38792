"""Print a state table as the Markdown of DOMAIN.md §7 (plans), §8 (adjustment requests) or §11 (notices), from
the code."""

from __future__ import annotations

from importlib import import_module

from django.core.management.base import BaseCommand
from django.utils import translation

# The object → its workflow module and its status enum.
TABLES = {
    "plans": ("plans.workflow", "plans.enums", "PlanStatus"),
    "adjustments": ("adjustments.workflow", "adjustments.enums", "AdjustmentStatus"),
    "notices": ("notices.workflow", "notices.enums", "NoticeState"),
}


def markdown(table, labels: dict[str, str]) -> str:
    """The table as Markdown: from | step | who | to | when."""
    lines = ["| from | step | who | to | when |", "|---|---|---|---|---|"]
    for source, step, who, to, when in table.describe(labels):
        lines.append(f"| {source} | {step.label} | {who} | {to} | {when} |")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Print the state table of plans, adjustment requests or notices (DOMAIN.md §7 / §8 / §11) from the code."

    def add_arguments(self, parser):
        parser.add_argument("object", choices=sorted(TABLES), nargs="?", default="plans")
        parser.add_argument("--language", default="en", help="en (as in DOMAIN.md) or zh-hans")

    def handle(self, *args, object: str, language: str, **options):
        workflow_module, enums_module, status_name = TABLES[object]
        workflow = import_module(workflow_module)
        statuses = getattr(import_module(enums_module), status_name)
        with translation.override(language):
            self.stdout.write(markdown(workflow.TABLE, dict(statuses.choices)))
