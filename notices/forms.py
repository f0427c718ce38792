from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from notices.attachments import MAX_ATTACHMENT_BYTES
from notices.enums import Audience
from notices.models import Notice
from rounds.models import Round


class NoticeForm(forms.ModelForm):
    class Meta:
        model = Notice
        fields = [
            "title",
            "number",
            "year",
            "date",
            "audience",
            "institution_kind",
            "round",
            "body",
            "offers_templates",
            "expects_receipts",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "body": forms.Textarea(attrs={"rows": 18}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = Round.objects.order_by("-year", "-season")
        for name, field in self.fields.items():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
            if isinstance(field.widget, forms.Select):
                css = "form-select"
            field.widget.attrs.setdefault("class", css)
            field.widget.attrs.setdefault("data-testid", f"notice-{name}")

    def clean(self):
        data = super().clean()
        if data.get("audience") == Audience.KIND and not data.get("institution_kind"):
            self.add_error("institution_kind", _("Choose the kind of institution the notice is for."))
        if data.get("audience") != Audience.KIND:
            data["institution_kind"] = ""
        return data


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("PDF file"),
        help_text=_("At most %(size)d MB.") % {"size": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
