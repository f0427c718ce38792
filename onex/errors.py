"""The error pages (400, 403, 404, 500 and a refused CSRF token) in the site's layout and the reader's language.

Each says what happened and what to do, never Django's English defaults. A page that cannot be drawn in the
layout (the database is down, the layout itself failed) falls back to the plain bilingual 400.html / 500.html,
which need nothing but static files.
"""

from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

PAGES = {
    400: (
        _("Request refused"),
        _(
            "The request was incomplete or over a limit (too many fields or files, or too large); nothing was saved. "
            "Please go back, check, and try again."
        ),
    ),
    403: (
        _("Not allowed"),
        _("Your role may not open this page or do this. If you think you should, ask the provincial 1+X office."),
    ),
    404: (
        _("Page not found"),
        _("This page does not exist, or it is not yours to see. Check the address, or start again from the home page."),
    ),
    500: (
        _("Server error"),
        _(
            "Something went wrong while handling your request; it may not have been completed. Please go back, "
            "check, and try again in a moment; if it keeps happening, contact the provincial 1+X office."
        ),
    ),
    "csrf": (
        _("The form has expired"),
        _(
            "The page was open too long, or you signed in or out in another tab, so the form could not be "
            "accepted; nothing was saved. Go back, reload the page, and try again."
        ),
    ),
}
PLAIN = {400: "400.html", 403: "500.html", 404: "500.html", 500: "500.html"}


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 — down, refused, or not allowed here: the layout cannot be drawn
        return False
    return True


def plain_page(status: int) -> HttpResponse:
    return HttpResponse(loader.render_to_string(PLAIN[status]), status=status)


def error_page(request, status: int, kind: int | str | None = None) -> HttpResponse:
    title, text = PAGES[kind or status]
    context = {"title": title, "text": text, "status": status, "kind": kind or status}
    if status == 500 and not _database_answers():  # the layout reads the user and the inbox from it
        return plain_page(status)
    try:
        return render(request, "error.html", context, status=status)
    except Exception:  # noqa: BLE001 — an error page must never fail: the plain page needs nothing
        logger.exception("the %s page could not be drawn in the layout", status)
        return plain_page(status)


def bad_request(request, exception=None):
    return error_page(request, 400)


def permission_denied(request, exception=None):
    return error_page(request, 403)


def page_not_found(request, exception=None):
    return error_page(request, 404)


def server_error(request):
    return error_page(request, 500)


def csrf_failure(request, reason=""):
    """Django's CSRF_FAILURE_VIEW: the form was refused, in words a clerk understands."""
    return error_page(request, 403, "csrf")
