"""Form helpers shared by every room."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


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


class LongSelect(forms.Select):
    """A <select> for long lists (every bureau, every certificate) rendered in Python.

    Django renders each <option> through its own template include, which for a few hundred options costs more
    than the rest of a page (the national review queue: ~60 ms of ~190 ms). Same markup, same choices, same
    selected value; optgroups are kept.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            html = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (("" if o["value"] is None else str(o["value"]), flatatt(o["attrs"]), o["label"]) for o in options),
            )
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, html) if group_name else html)
        options = format_html_join("", "{}", ((part,) for part in parts))  # each part escaped above
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options)
