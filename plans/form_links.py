"""The plan page's list of its new certificates' application forms, written here: a plan new to a college may
name dozens of certificates, and the template's loop (a URL reversed, a name escaped and a label translated per
certificate) cost about 0.08 ms each. The markup is the template's (plans/_workspace.html), byte for byte."""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from plans.pages import id_url

ITEM = '\n    <li class="mb-1"><a href="{url}" data-testid="form-link">{name}</a>\n      {badge}</li>\n  '
COMPLETE = '<span class="badge text-bg-success">{}</span>'
INCOMPLETE = '<span class="badge text-bg-danger">{}</span>'


def form_links_html(plan, new_certificates: list[tuple]) -> SafeString:
    """One item per (certificate, its application form or None): a link to the form and whether it is complete."""
    url = id_url("form_edit", plan.pk)
    complete, incomplete = (
        COMPLETE.format(escape(gettext("complete"))),
        INCOMPLETE.format(escape(gettext("incomplete"))),
    )
    return SafeString(
        "".join(
            ITEM.format(
                url=escape(url(certificate.pk)),
                name=escape(certificate.short_name),
                badge=complete if form and form.is_complete else incomplete,
            )
            for certificate, form in new_certificates
        )
    )
