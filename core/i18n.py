"""Strings Django shows but its own zh_Hans catalogue lacks: listed here so makemessages keeps them in ours."""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = [
    gettext_noop("- Select an option -"),  # Django 6.1's blank choice of every select
    gettext_noop("English"),  # the language menu: English is named in English
]
