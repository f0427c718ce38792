"""Every new certificate's application form complete (一证书一论证一申报)."""

from plans.rules import forms_complete, gather_facts
from tests.factories import J, complete_form, draft


def test_new_certificate_without_form_is_blocked(cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 30)])

    assert [(v.code, v.message) for v in forms_complete(gather_facts(plan))] == [
        ("FORM", "物流管理 is new: its application form is missing the whole form.")
    ]


def test_new_certificate_with_partial_form_names_missing_fields(cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 30)])
    form = complete_form(plan, logistics)
    form.enterprises = ""
    form.experts = []
    form.save()

    assert [v.message for v in forms_complete(gather_facts(plan))] == [
        "物流管理 is new: its application form is missing recognised enterprises、experts."
    ]


def test_new_certificate_with_complete_form_passes(cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 30)])
    complete_form(plan, logistics)

    assert forms_complete(gather_facts(plan)) == []
