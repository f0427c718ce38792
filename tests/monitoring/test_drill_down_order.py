"""A checkpoint's drill-down is sorted and paged by the database: worst first, then by name as Python orders
names (by code point), as the live drill-down sorts in Python."""

from datetime import datetime

import time_machine
from django.urls import reverse

from institutions.enums import InstitutionKind
from institutions.models import Institution
from monitoring import services
from monitoring.models import InstitutionSnapshot
from tests.factories import published_plan
from tests.monitoring.factories import M, line_of
from tests.monitoring.test_dashboard import SHANGHAI, grow, typed


def test_a_checkpoints_institutions_come_worst_first_then_by_code_point(client, cast, plans):
    with time_machine.travel(datetime(2027, 6, 30, 23, 0, tzinfo=SHANGHAI), tick=False):
        grow(2, plans)
        for name in ("alpha职业学校", "Zeta职业学校"):  # 'Z' < 'a' by code point, not in most locales
            institution = Institution.objects.create(
                name=name, kind=InstitutionKind.SECONDARY_VOCATIONAL, bureau=cast.bureau1
            )
            plan = published_plan(institution, 2027, [(plans["logistics"], M, "物流管理", 40)])
            typed(line_of(plan, plans["logistics"], M), 20, 10, 5)  # the same 25 % for both
        checkpoint, _ = services.take_checkpoint(year=2027, month=6)
    client.force_login(cast.provincial_reviewer)

    figure = client.get(reverse("monitoring:institutions") + f"?checkpoint={checkpoint.pk}").context["figure"]

    rows = InstitutionSnapshot.objects.filter(checkpoint=checkpoint).select_related("institution")
    expected = sorted((row.counted / row.approved if row.approved else -1.0, row.institution.name) for row in rows)
    labels = [row["label"] for row in figure.rows]
    assert labels == [name for _ratio, name in expected]
    assert [name for name in labels if "职业学校" in name and name[0] in "aZ"] == ["Zeta职业学校", "alpha职业学校"]
    assert figure.total == len(expected) == 8
