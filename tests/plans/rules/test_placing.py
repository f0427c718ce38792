"""Where pages show violations: on the rows of the lines they name, or once above the table."""

from plans.enums import Severity
from plans.rules import Violation
from plans.rules.placing import place


def violation(code, *line_ids):
    return Violation(code=code, severity=Severity.ERROR, message=code, line_ids=line_ids)


def test_a_violation_naming_lines_goes_on_each_of_their_rows():
    r2 = violation("R2", 1, 2)
    placed = place([r2])
    assert placed.on(1) == [r2] and placed.on(2) == [r2]
    assert placed.loose == []


def test_a_plan_wide_violation_goes_above_the_table():
    r3 = violation("R3")
    placed = place([r3])
    assert placed.loose == [r3]
    assert placed.by_line == {}


def test_a_violation_naming_a_line_without_a_row_goes_above_the_table_once():
    r4 = violation("R4", 1, 9)
    placed = place([r4], rows={1, 2})
    assert placed.loose == [r4]
    assert placed.on(1) == []


def test_a_violation_of_an_unsaved_line_only_is_not_lost():
    r6 = violation("R6", None)  # a new line in an adjustment has no id yet
    placed = place([r6], rows={1})
    assert placed.loose == [r6]


def test_an_unsaved_line_beside_a_saved_one_puts_it_on_the_saved_row():
    r2 = violation("R2", 1, None)
    placed = place([r2], rows={1})
    assert placed.on(1) == [r2]
    assert placed.on(None) == []
