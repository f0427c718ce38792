"""Simplified Chinese formats, with ISO first among the input formats.

Django renders a form's date with the first input format of the active locale; zh-Hans's is `2026/09/10`, which
an HTML5 `<input type="date">` cannot read: the field shows empty and the next save erases the date. Every
input renders ISO (`2026-09-10`, `2026-09-10 14:30`), which `type="date"` and `type="datetime-local"` read, and
typed `2026/09/10` or `2026年9月10日` are still accepted. Dates shown as text keep the locale's formats.
"""

from django.conf.locale.zh_Hans import formats as django_formats

DATE_INPUT_FORMATS = ["%Y-%m-%d", *(f for f in django_formats.DATE_INPUT_FORMATS if f != "%Y-%m-%d")]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",
    *(f for f in django_formats.DATETIME_INPUT_FORMATS if f != "%Y-%m-%d %H:%M"),
]
