"""R1 window at both edges (Asia/Shanghai) and with an extension."""

from datetime import datetime

from core.dates import SHANGHAI
from plans.enums import Severity
from plans.rules import gather_facts, r1_window
from rounds.models import Extension
from tests.factories import draft


def test_r1_window_open_on_the_last_filing_day_at_235959(cast, spring):
    plan = draft(cast.school1, spring)

    assert r1_window(gather_facts(plan), at=datetime(2027, 4, 7, 23, 59, 59, tzinfo=SHANGHAI)) == []


def test_r1_window_closed_at_midnight_after_the_last_day(cast, spring):
    plan = draft(cast.school1, spring)

    violations = r1_window(gather_facts(plan), at=datetime(2027, 4, 8, 0, 0, 0, tzinfo=SHANGHAI))

    assert [(v.code, v.severity) for v in violations] == [("R1", Severity.ERROR)]
    assert violations[0].message == "Outside the window: institutions file（2027年04月01日至2027年04月07日）."


def test_r1_extension_reopens_the_window_for_one_institution_only(cast, spring):
    Extension.objects.create(
        round=spring,
        stage="filing",
        institution=cast.school1,
        until="2027-04-09",
        reason="系统故障",
        granted_by=cast.provincial_admin,
    )
    at = datetime(2027, 4, 9, 12, 0, tzinfo=SHANGHAI)

    extended = r1_window(gather_facts(draft(cast.school1, spring)), at=at)
    other = r1_window(gather_facts(draft(cast.school2, spring)), at=at)

    assert extended == []
    assert [v.code for v in other] == ["R1"]
