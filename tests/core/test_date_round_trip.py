"""Every date a form shows comes back unchanged when the page is saved again (issue 15, item 1).

The forms are found, not listed: every form class defined in the project's apps that has a date or datetime
field. Each is rendered bound to saved data, the rendered values are re-posted as a browser would send them, and
the dates come back the same, in every language of the site.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.http import QueryDict
from django.utils import translation

from core.dates import SHANGHAI
from notices.models import Notice
from plans.forms import ApplicationFormForm
from plans.models import ApplicationForm
from tests.conftest import make_certificate, make_round
from tests.factories import complete_form, draft

DATE = date(2026, 9, 10)
MOMENT = datetime(2026, 9, 10, 14, 30, tzinfo=SHANGHAI)
DATE_FIELDS = (forms.DateField, forms.DateTimeField)


def _project_modules():
    root = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        if not Path(config.path).resolve().is_relative_to(root) or ".venv" in Path(config.path).parts:
            continue
        yield config.module
        for info in pkgutil.walk_packages(config.module.__path__, prefix=f"{config.name}."):
            # onex is an app too (its commands); its production settings refuse to load without their secrets.
            if ".migrations" not in info.name and ".management" not in info.name and ".settings" not in info.name:
                yield importlib.import_module(info.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def forms_with_dates() -> list[type[forms.BaseForm]]:
    names = {module.__name__ for module in _project_modules()}
    found = {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__ in names and any(isinstance(f, DATE_FIELDS) for f in cls.base_fields.values())
    }
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


# The HTML value sanitization of date inputs: a value they cannot read becomes "" (shown empty, posted empty).
HTML5_VALUES = {
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "datetime-local": re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"),
}


def _sanitized(input_type: str | None, value: str) -> str:
    rule = HTML5_VALUES.get(input_type or "")
    return value if rule is None or rule.fullmatch(value) else ""


class _Browser(HTMLParser):
    """What a browser posts for a rendered form: inputs' values, checked boxes, selected options, textareas."""

    def __init__(self):
        super().__init__()
        self.data = QueryDict(mutable=True)
        self._select = self._textarea = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("file", "submit", "button"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                value = attrs.get("value") or ("on" if "checked" in attrs else "")
                self.data.appendlist(name, _sanitized(attrs.get("type"), value))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.appendlist(self._select, attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.data.appendlist(self._textarea, self._text.removeprefix("\n"))
            self._textarea = None


def posted(form: forms.BaseForm) -> QueryDict:
    browser = _Browser()
    browser.feed(str(form))
    return browser.data


@pytest.fixture
def saved(cast) -> dict:
    """Saved objects whose model forms are checked, read back from the database as a page would read them."""
    notice = Notice.objects.create(
        year=2026, date=DATE, title="关于秋季申报的通知", audience="institutions", created_by=cast.provincial_admin
    )
    return {Notice: Notice.objects.get(pk=notice.pk)}


def _date_values(form_class) -> dict:
    return {
        name: (MOMENT if isinstance(field, forms.DateTimeField) else DATE)
        for name, field in form_class.base_fields.items()
        if isinstance(field, DATE_FIELDS)
    }


def test_forms_with_dates_are_found():
    found = {f"{cls.__module__}.{cls.__name__}" for cls in forms_with_dates()}

    assert {"plans.forms.ApplicationFormForm", "notices.forms.NoticeForm", "audit.forms.AuditSearchForm"} <= found


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize("form_class", forms_with_dates(), ids=lambda cls: cls.__qualname__)
def test_form_dates_survive_a_second_save(form_class, language, saved):
    with translation.override(language):
        if issubclass(form_class, forms.BaseModelForm):
            instance = saved[form_class._meta.model]
            expected = {name: getattr(instance, name) for name in _date_values(form_class)}
            data = posted(form_class(instance=instance))
            again = form_class(data=data, instance=instance)
        else:
            expected = _date_values(form_class)
            data = posted(form_class(initial=expected))
            again = form_class(data=data)
        again.is_valid()

    assert {name: again.cleaned_data.get(name) for name in expected} == expected


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_application_form_review_date_survives_a_second_save(language, cast):
    certificate = make_certificate("物流管理职业技能等级证书", batch=1)
    saved_form = complete_form(draft(cast.school1, make_round(2027)), certificate)
    saved_form = ApplicationForm.objects.get(pk=saved_form.pk)

    with translation.override(language):
        page = ApplicationFormForm(initial=ApplicationFormForm.initial_from(saved_form))
        again = ApplicationFormForm(data=posted(page))

    assert again.is_valid(), again.errors
    assert again.cleaned_data["review_date"] == date(2027, 3, 20)
