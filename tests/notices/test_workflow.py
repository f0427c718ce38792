"""A notice's steps as one table (notices/workflow.py): its state from its dates, the moves it allows, printed."""

from io import StringIO

import pytest
from django.core.management import call_command

from audit.models import AuditEvent
from notices import workflow
from notices.enums import NoticeState
from notices.errors import NoticeError, WriterOnly
from notices.models import Notice
from tests.notices.conftest import AT, make_notice


def test_workflow_command_prints_the_notice_table():
    out = StringIO()

    call_command("workflow", "notices", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[:2] == ["| from | step | who | to | when |", "|---|---|---|---|---|"]
    assert "| published | withdraw (reason) | provincial office | withdrawn | — |" in lines
    assert len(lines) == 2 + len(workflow.TABLE.rows)


def test_workflow_publish_moves_a_draft_and_records_both_states(cast):
    notice = make_notice(cast.provincial_admin, published=False)

    moved = workflow.move(
        notice, workflow.Step.PUBLISH, actor=cast.provincial_admin, at=AT, published_at=AT, published_by=cast.observer
    )

    assert (moved.state, Notice.objects.get(pk=notice.pk).state) == (NoticeState.PUBLISHED, NoticeState.PUBLISHED)
    event = AuditEvent.objects.for_object(notice).get(action="notice.publish")
    assert (event.before, event.after["status"]) == ({"status": "draft"}, "published")


def test_workflow_move_refuses_fields_that_do_not_lead_where_the_row_says(cast):
    notice = make_notice(cast.provincial_admin, published=False)

    with pytest.raises(ValueError, match="publish sets fields that do not lead to published"):
        workflow.move(notice, workflow.Step.PUBLISH, actor=cast.provincial_admin, at=AT, title="新标题")

    assert Notice.objects.get(pk=notice.pk).state == NoticeState.DRAFT


def test_workflow_refuses_a_reader_the_writers_steps_and_a_withdrawn_notice_a_second_withdrawal(cast):
    notice = make_notice(cast.provincial_admin)

    with pytest.raises(WriterOnly, match="Only the provincial office writes notices."):
        workflow.check(notice, workflow.Step.REMIND, actor=cast.staff)
    admin = cast.provincial_admin
    workflow.move(
        notice, workflow.Step.WITHDRAW, actor=admin, at=AT, withdrawn_at=AT, withdrawn_by=admin, withdrawn_reason="错"
    )
    with pytest.raises(NoticeError, match="withdrawn already"):
        workflow.check(notice, workflow.Step.WITHDRAW, actor=cast.provincial_admin)
