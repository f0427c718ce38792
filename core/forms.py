"""Form helpers shared by every room."""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.fragments import fragment


class BootstrapMixin:
    """Give every widget Bootstrap's class, so templates can render `form` field by field without per-field CSS."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


def error_messages(form: forms.BaseForm) -> list[str]:
    """The messages of a bound form's errors, field by field, as text (what iterating `form.errors` gives)."""
    return [message for errors in form.errors.as_data().values() for error in errors for message in error.messages]


class LongSelect(forms.Select):
    """A <select> for long lists (every bureau, every certificate) rendered in Python.

    Django renders each <option> through its own template include, which for a few hundred options costs more
    than the rest of a page (the national review queue: ~60 ms of ~190 ms). Same markup, same choices, same
    selected value; optgroups are kept.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            options_html(widget["optgroups"]),
        )


def options_html(optgroups) -> str:
    """The <option>s (and <optgroup>s) of a Select's optgroups, escaped."""
    parts = []
    for group_name, options, _index in optgroups:
        html = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (("" if o["value"] is None else str(o["value"]), flatatt(o["attrs"]), o["label"]) for o in options),
        )
        parts.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, html) if group_name else html)
    return format_html_join("", "{}", ((part,) for part in parts))  # each part escaped above


class CachedOptionsSelect(LongSelect):
    """A LongSelect whose options, the same for everyone who gets `cache_key`, are rendered once and cached
    (core.fragments); the owner of the list drops the key when its rows change. The selected value is marked on
    the cached markup. Without a `cache_key` it renders like LongSelect.

    Rendering reads neither the choices' query nor their objects: the national review queue's certificate and
    bureau lists (~800 options) were a fifth of its time even rendered in Python.
    """

    cache_key: str | None = None
    found: dict | None = None  # the fragments its form read in one go (core.fragments.read_fragments)

    def render(self, name, value, attrs=None, renderer=None):
        if self.cache_key is None:
            return super().render(name, value, attrs, renderer)
        options = fragment(self.cache_key, lambda: str(options_html(self.optgroups(name, [], attrs))), self.found)
        return self.with_options(name, value, attrs, options)

    def with_options(self, name, value, attrs, options: str) -> str:
        """The <select> around `options` (rendered with nothing selected), the chosen value marked selected."""
        for chosen in self.format_value(value):
            option = f'<option value="{conditional_escape(chosen)}"'
            options = options.replace(f"{option}>", f"{option} selected>", 1)
        attrs = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), mark_safe(options))  # noqa: S308


class ChoicesSelect(CachedOptionsSelect):
    """A LongSelect of choices written in the code (an enum's): its options rendered once per process for each
    language and list of choices, since only a new release changes them (which starts new processes).

    The review queue's kind, status and sort lists (13 options) cost 8 % of its CPU rendered on every request.
    """

    rendered: ClassVar[dict[tuple, str]] = {}

    def render(self, name, value, attrs=None, renderer=None):
        key = (get_language(), tuple(self.choices))  # a lazy label hashes and compares as its translation
        options = self.rendered.get(key)
        if options is None:
            options = self.rendered[key] = str(options_html(self.optgroups(name, [], attrs)))
        return self.with_options(name, value, attrs, options)
