"""What-if caps (issue 20 item 3). Pure: no database, nothing written.

A scenario is a threshold, a schedule of checkpoint targets and the rates it judges by (recorded, current or
forecast). For each institution of the year, R3 then caps next year's plan at this year's approved headcount when
its rate is below the threshold (a plan this year, a rate, the cap not lifted); the cap limits next year's demand
(next year's plans so far, else the headcount it asked for this year) by whatever exceeds it. The schedule says how
many institutions are behind at the year's last checkpoint under it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from monitoring.enums import WhatIfSource
from monitoring.rates import standing

MAX_SCENARIOS = 3


@dataclass(frozen=True)
class Scenario:
    threshold: Decimal
    targets: dict[int, Decimal]
    source: str = WhatIfSource.FORECAST


@dataclass(frozen=True)
class Case:
    """One institution of the year with what a scenario may judge it by."""

    institution_id: int
    name: str
    bureau: str
    kind: str
    approved: int
    counted: int
    demand: int
    rates: dict[str, Decimal | None]
    cap_lifted: bool = False
    kind_code: str = ""  # the kind's value (`kind` is its label)

    def rate(self, source: str) -> Decimal | None:
        return self.rates.get(source)


@dataclass(frozen=True)
class Capped:
    case: Case
    rate: Decimal
    limited_by: int  # headcount of next year's demand above the cap


@dataclass
class Tally:
    capped: int = 0
    limited_by: int = 0


@dataclass
class Outcome:
    scenario: Scenario
    capped: list[Capped]
    behind: int
    judged: int  # institutions with a rate from the scenario's source
    by_bureau: dict[str, Tally] = field(default_factory=dict)
    by_kind: dict[str, Tally] = field(default_factory=dict)

    @property
    def limited_by(self) -> int:
        return sum(c.limited_by for c in self.capped)

    @property
    def source_label(self) -> str:
        return str(WhatIfSource(self.scenario.source).label)

    @property
    def targets_text(self) -> str:
        return ",".join(f"{value.normalize():f}" for value in self.scenario.targets.values())


def is_capped(case: Case, rate: Decimal | None, threshold: Decimal) -> bool:
    return case.approved > 0 and rate is not None and rate < threshold and not case.cap_lifted


def tallies(capped: list[Capped], key) -> dict[str, Tally]:
    found: dict[str, Tally] = defaultdict(Tally)
    for item in capped:
        tally = found[key(item.case)]
        tally.capped += 1
        tally.limited_by += item.limited_by
    return dict(sorted(found.items()))


def simulate(cases: list[Case], scenario: Scenario, *, month: int = 12) -> Outcome:
    """Which institutions the scenario caps, by how much, by bureau and kind; how many are behind its target
    for checkpoint `month`."""
    capped = []
    judged = 0
    for case in cases:
        rate = case.rate(scenario.source)
        judged += rate is not None
        if is_capped(case, rate, scenario.threshold):
            assert rate is not None
            capped.append(Capped(case, rate, max(0, case.demand - case.approved)))
    target = scenario.targets.get(month, Decimal(0))
    behind = sum(
        1 for c in cases if standing(examined=c.counted, approved=c.approved, target=target) not in (None, "on_track")
    )
    return Outcome(
        scenario=scenario,
        capped=capped,
        behind=behind,
        judged=judged,
        by_bureau=tallies(capped, lambda c: c.bureau),
        by_kind=tallies(capped, lambda c: c.kind),
    )
