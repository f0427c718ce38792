"""One name → three templates: `emails/<name>_subject.txt`, `emails/<name>_body.txt`, `emails/<name>_body.html`.

Every e-mail OneX sends goes through `render()` and `send()` here (like healthchecks' `hc/lib/emails.py`).
Messages are rendered in the site's language (zh-hans), whatever language the person who caused them uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def absolute(url: str) -> str:
    return urljoin(settings.SITE_URL, url) if url else settings.SITE_URL


def render(name: str, context: dict) -> Rendered:
    """The three parts of the message `name`; `context["url"]` is made absolute for the e-mail."""
    ctx = {**context, "site_url": settings.SITE_URL, "absolute_url": absolute(context.get("url", ""))}
    with translation.override(settings.LANGUAGE_CODE):
        subject: str = render_to_string(f"emails/{name}_subject.txt", ctx)
        text = render_to_string(f"emails/{name}_body.txt", ctx)
        html = render_to_string(f"emails/{name}_body.html", ctx)
    # A subject is one line: a newline in it would be a header injection, and mail servers refuse it.
    subject = " ".join(subject.split())[:300]
    return Rendered(subject=subject, text=text.strip() + "\n", html=html)


def send_rendered(*, to: list[str], message: Rendered) -> None:
    """Send an already rendered message to `to` (one envelope per call)."""
    email = EmailMultiAlternatives(message.subject, message.text, settings.DEFAULT_FROM_EMAIL, to)
    if message.html:
        email.attach_alternative(message.html, "text/html")
    email.send()


def send(*, to: list[str], name: str, context: dict) -> Rendered:
    """Render `name` with `context` and send it to `to`."""
    message = render(name, context)
    send_rendered(to=to, message=message)
    return message
