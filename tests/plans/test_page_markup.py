"""The plan page's markup written in Python, byte for byte what the template markup it replaced made: the list of
the new certificates' application forms (plans/form_links.py) and the violations (plans/violation_markup.py)."""

from django.template import Context, Template
from django.utils import translation

from plans.enums import Severity
from plans.form_links import form_links_html
from plans.rules import Violation
from plans.violation_markup import violation_html, violations_html
from tests.conftest import make_certificate
from tests.factories import J, complete_form, draft

NAME = '<b>Tom & "Jerry"</b>'
# plans/_workspace.html's loop before plans/form_links.py took its place.
FORM_LOOP = Template(
    "{% load i18n %}{% for certificate, form in new_certificates %}\n"
    '    <li class="mb-1"><a href="{% url \'form_edit\' plan.pk certificate.pk %}" data-testid="form-link">'
    "{{ certificate.short_name }}</a>\n"
    '      {% if form and form.is_complete %}<span class="badge text-bg-success">{% translate "complete" %}</span>'
    '{% else %}<span class="badge text-bg-danger">{% translate "incomplete" %}</span>{% endif %}</li>\n'
    "  {% endfor %}"
)
# violation_markup.violation_html as it was, with format_html.
VIOLATION = Template(
    '{% load i18n %}<div class="small {% if v.is_error %}violation-error{% else %}violation-warning{% endif %}" '
    'data-rule="{{ v.code }}">'
    '<i class="bi {% if v.is_error %}bi-x-octagon{% else %}bi-exclamation-triangle{% endif %}"></i> '
    "<strong>{{ v.label }}</strong> {{ v.message }}"
    '{% if v.code == "R8" and user.institution_id %} <a href="{% url \'my_institution\' %}" '
    'data-testid="record-registration">{% translate "Record the registration" %}</a>{% endif %}</div>'
)


def test_form_links_are_the_templates_markup_escaped_complete_or_not(cast, spring):
    odd = make_certificate(NAME, levels=[J])
    logistics = make_certificate("物流管理职业技能等级证书", levels=[J])
    plan = draft(cast.school1, spring, [(odd, J, "物流管理", 30), (logistics, J, "物流管理", 30)])
    forms = [(odd, None), (logistics, complete_form(plan, logistics))]

    with translation.override("zh-hans"):
        html = form_links_html(plan, forms)
        expected = FORM_LOOP.render(Context({"plan": plan, "new_certificates": forms}))

    assert html == expected
    assert "&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;" in html and "已填完" in html and "未填完" in html


def test_violations_are_the_templates_markup_escaped_with_the_r8_link_for_institution_users_only(cast):
    violations = [
        Violation("R2", Severity.ERROR, f"{NAME} is below the minimum", (1,)),
        Violation("R8", Severity.WARNING, "not registered", ()),
        Violation("R6", Severity.WARNING, "a <major>", (2,), needs_justification=True),
        Violation("R8", Severity.WARNING, "again", ()),
    ]

    for user in (cast.staff, cast.provincial_admin):
        with translation.override("zh-hans"):
            html = violations_html(violations, user=user)
            one = [violation_html(v, user=user) for v in violations]
            expected = [VIOLATION.render(Context({"v": v, "user": user})) for v in violations]

        assert html == "".join(f"{markup}\n" for markup in expected)
        assert one == expected
    assert "&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;" in html and "record-registration" not in html
    assert "record-registration" in violations_html(violations, user=cast.staff)
