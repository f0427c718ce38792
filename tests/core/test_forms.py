"""core.forms.LongSelect: the options Django's own Select would render, built without a template per option; the
messages of a form's errors as text."""

import re

import pytest
from django import forms

from core.forms import CachedOptionsSelect, ChoicesSelect, LongSelect, error_messages
from core.fragments import forget_fragments

CHOICES = [("", "—"), ("1", "合肥市教育局"), ("2", '<script>alert("x")</script> & co')]
OPTION = re.compile(r'<option value="([^"]*)"( selected)?>(.*?)</option>', re.S)


def options(html: str) -> list[tuple[str, bool, str]]:
    return [(value, bool(selected), label) for value, selected, label in OPTION.findall(html)]


def test_long_select_gives_the_same_options_and_selection_as_django_select():
    attrs = {"class": "form-select form-select-sm", "id": "id_bureau"}
    django_html = forms.Select(attrs=attrs, choices=CHOICES).render("bureau", "2")
    long_html = LongSelect(attrs=attrs, choices=CHOICES).render("bureau", "2")

    assert options(long_html) == options(django_html)
    assert [selected for _value, selected, _label in options(long_html)] == [False, False, True]
    assert long_html.startswith('<select name="bureau" class="form-select form-select-sm" id="id_bureau">')


def test_long_select_escapes_labels():
    html = LongSelect(choices=CHOICES).render("bureau", None)

    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in html


def test_long_select_keeps_option_groups():
    grouped = [("安徽", [("1", "合肥"), ("2", "芜湖")]), ("", "—")]
    html = LongSelect(choices=grouped).render("city", "2")

    assert (
        '<optgroup label="安徽"><option value="1">合肥</option><option value="2" selected>芜湖</option></optgroup>'
        in html
    )


def test_a_model_choice_field_renders_its_rows(cast):
    from institutions.models import Bureau

    field = forms.ModelChoiceField(Bureau.objects.order_by("pk"), widget=LongSelect)
    bureau = Bureau.objects.order_by("pk").first()
    html = field.widget.render("bureau", bureau.pk)

    assert (str(bureau.pk), True, bureau.name) in options(html)
    assert len(options(html)) == Bureau.objects.count() + 1  # the empty choice first


def _cached(key: str, choices) -> forms.Select:
    widget = CachedOptionsSelect(attrs={"class": "form-select"}, choices=choices)
    widget.cache_key = key
    return widget


def test_cached_options_select_renders_what_long_select_renders_with_each_selection():
    for value in (None, "", "1", "2"):
        expected = LongSelect(attrs={"class": "form-select"}, choices=CHOICES).render("bureau", value)

        assert _cached("test-options", CHOICES).render("bureau", value) == expected


@pytest.mark.django_db
def test_cached_options_select_reuses_its_options_until_the_key_is_forgotten():
    _cached("test-options", CHOICES).render("bureau", None)
    changed = [("", "—"), ("3", "芜湖市教育局")]

    kept = _cached("test-options", changed).render("bureau", None)
    forget_fragments("test-options")
    fresh = _cached("test-options", changed).render("bureau", None)

    assert [value for value, _selected, _label in options(kept)] == ["", "1", "2"]
    assert [value for value, _selected, _label in options(fresh)] == ["", "3"]


class _Figures(forms.Form):
    low = forms.IntegerField(min_value=5)
    high = forms.IntegerField()

    def clean(self):
        self.add_error(None, "the figures do not add up")
        self.add_error(None, forms.ValidationError("%(n)d is too many", params={"n": 7}))


def test_error_messages_are_the_texts_form_errors_lists_in_its_order():
    form = _Figures({"low": "3"})

    assert not form.is_valid()
    assert error_messages(form) == [message for errors in form.errors.values() for message in errors]
    assert len(error_messages(form)) == 4  # low, high, then the form's two
    assert error_messages(form)[2:] == ["the figures do not add up", "7 is too many"]


def test_choices_select_renders_what_long_select_renders_with_each_selection():
    for value in (None, "", "1", "2"):
        expected = LongSelect(attrs={"class": "form-select"}, choices=CHOICES).render("bureau", value)

        assert ChoicesSelect(attrs={"class": "form-select"}, choices=CHOICES).render("bureau", value) == expected


def test_choices_select_keeps_its_options_per_language_and_choices():
    from django.utils import translation

    from plans.enums import PlanStatus

    choices = [("", "—"), *PlanStatus.choices]
    with translation.override("zh-hans"):
        chinese = ChoicesSelect(choices=choices).render("status", PlanStatus.PUBLISHED)
    with translation.override("en"):
        english = ChoicesSelect(choices=choices).render("status", PlanStatus.PUBLISHED)
    other = ChoicesSelect(choices=[("", "—"), ("a", "甲")]).render("status", "a")

    assert '<option value="published" selected>已发布</option>' in chinese
    assert '<option value="published" selected>published</option>' in english
    assert options(other) == [("", False, "—"), ("a", True, "甲")]
