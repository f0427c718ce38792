"""What an import found and did: one `Issue` per row (or JSON item) it speaks of, and the `ImportReport` the
importers of reference files (institutions, catalogue) fill and the pages and commands print; `max_length`, the
longest text a column takes, so a long cell is an error of its row rather than a refused import."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _


def max_length(model: type[models.Model], name: str) -> int:
    """The most characters the text field `name` of `model` holds."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.CharField) and field.max_length is not None, f"{name} is not a sized text field"
    return field.max_length


@dataclass(frozen=True)
class Issue:
    """One message about one row (or item of a JSON list); `row` None means the file as a whole."""

    row: int | None
    message: str
    unit: str = "row"

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.unit == "item":
            return _("Item %(number)s: %(message)s") % {"number": self.row, "message": self.message}
        return _("Row %(number)s: %(message)s") % {"number": self.row, "message": self.message}


@dataclass
class ImportReport:
    """What an import did (or, when it has errors, would have done: then nothing was written)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    extra: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int | None, message: str, unit: str = "row") -> None:
        self.errors.append(Issue(row, message, unit))

    def warn(self, row: int | None, message: str, unit: str = "row") -> None:
        self.warnings.append(Issue(row, message, unit))

    def count(self, name: str, n: int = 1) -> None:
        self.extra[name] = self.extra.get(name, 0) + n

    def summary(self) -> str:
        text = _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        extra = "".join(f", {name} {n}" for name, n in sorted(self.extra.items()))
        return text + extra

    def discard_counts(self) -> None:
        """Nothing was written: the counts would mislead."""
        self.created = self.updated = self.unchanged = 0
        self.extra = {}
