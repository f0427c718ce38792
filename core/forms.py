"""Form helpers shared by every room."""

from __future__ import annotations

from django import forms


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
