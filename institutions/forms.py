from django import forms
from django.utils.translation import gettext_lazy as _

from institutions.enums import ReferenceKind
from institutions.reference_imports import upload_refusal


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What to import"),
        choices=[
            (
                ReferenceKind.INSTITUTIONS,
                _("Institutions (CSV or XLSX: name, city, level, moe_code, authority, remarks)"),
            ),
            (
                ReferenceKind.CERTIFICATES,
                _("Certificates (CSV or XLSX: batch, name, organization, levels_seen; or platform JSON)"),
            ),
            (ReferenceKind.BUREAUS, _("City bureaus (CSV or XLSX: city)")),
        ],
        widget=forms.RadioSelect,
        initial=ReferenceKind.INSTITUTIONS,
    )
    file = forms.FileField(label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.json"}))

    def clean(self):
        data = super().clean()
        upload, kind = data.get("file"), data.get("kind")
        if upload is not None and kind is not None and (refusal := upload_refusal(kind, upload)):
            self.add_error("file", refusal)
        return data


class RegistrationForm(forms.Form):
    platform_account = forms.CharField(
        label=_("National platform account or institution code"),
        max_length=100,
        required=False,
        help_text=_(
            "Register on the national platform (https://vslc.ncb.edu.cn/) first, then record the account here. "
            "Leave empty to clear it."
        ),
        widget=forms.TextInput(attrs={"class": "form-control", "data-testid": "platform-account"}),
    )


class ContactsForm(forms.Form):
    contact_name = forms.CharField(
        label=_("Contact person"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "data-testid": "contact-name"}),
    )
    contact_phone = forms.RegexField(
        label=_("Contact phone"),
        max_length=50,
        required=False,
        regex=r"^[0-9+()（）\- ]*$",
        error_messages={"invalid": _("A phone number has digits, spaces, +, - and brackets only.")},
        help_text=_("Printed on the institution's attachments 1, 2 and 3."),
        widget=forms.TextInput(attrs={"class": "form-control", "data-testid": "contact-phone"}),
    )
