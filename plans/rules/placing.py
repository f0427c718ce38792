"""Where a page shows each violation: on the rows of the lines it names, or above the table."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Iterable
from dataclasses import dataclass, field

from plans.rules.facts import Violation


@dataclass
class Placed:
    by_line: dict[int, list[Violation]] = field(default_factory=dict)
    loose: list[Violation] = field(default_factory=list)  # plan-wide, or naming a line the table has no row for

    def on(self, line_id: int | None) -> list[Violation]:
        return self.by_line.get(line_id, []) if line_id is not None else []


def place(violations: Iterable[Violation], *, rows: Container[int] | None = None) -> Placed:
    """Each violation on every line it names when the table has a row for each of them (`rows`, None: every
    line has one); otherwise once, above the table."""
    by_line: dict[int, list[Violation]] = defaultdict(list)
    loose = []
    for violation in violations:
        named = [pk for pk in violation.line_ids if pk]
        if named and (rows is None or all(pk in rows for pk in named)):
            for pk in named:
                by_line[pk].append(violation)
        else:
            loose.append(violation)
    return Placed(by_line=dict(by_line), loose=loose)
