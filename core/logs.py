"""Structured logs: one JSON object per line, with the request's id, user, role and address, and without
personal data or secrets.

`ContextFilter` adds the request context (set by audit.middleware.RequestContextMiddleware); `RedactFilter`
rewrites the message (arguments merged in) and the traceback so that ID numbers, phone numbers, passwords,
tokens, session ids and keys never reach the log; `JsonFormatter` writes the line. settings.LOGGING puts both
filters on the console handler, so every logger's records pass through them.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime

from django.utils.functional import empty

current_request = contextvars.ContextVar("current_request", default=None)
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("current_request_id", default="")

SECRET_NAMES = (
    r"[\w-]*(?:password|passwd|pwd|secret|token|api[_-]?key|sessionid|session_key|csrftoken|csrfmiddlewaretoken"
    r"|otp|totp)[\w-]*"
)
REDACTIONS: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    # Authorization headers and bearer tokens, whole.
    (re.compile(r"(?i)\b(authorization|proxy-authorization)(['\"]?\s*[:=]\s*['\"]?)[^'\"\n,}]+"), r"\1\2[redacted]"),
    (re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+"), "Bearer [redacted]"),
    # Our API tokens (onex_<prefix>_<secret>) wherever they appear.
    (re.compile(r"\bonex_[A-Za-z0-9]+_[A-Za-z0-9_-]+"), "[token]"),
    # name=value and "name": "value" pairs whose name says secret (a quoted value up to its closing quote).
    (
        re.compile(rf"(?i)\b({SECRET_NAMES})(['\"]?\s*[:=]\s*)(?:(['\"])[^'\"]*['\"]|[^\s'\",&;}}]+)"),
        lambda m: f"{m[1]}{m[2]}{m[3] or ''}[redacted]{m[3] or ''}",
    ),
    # Resident ID numbers (17 digits and a check character), also inside longer text; 15-digit old ones.
    (re.compile(r"(?<![0-9])[1-9]\d{16}[0-9Xx](?![0-9A-Za-z])"), "[id-number]"),
    (re.compile(r"(?<![0-9])[1-9]\d{14}(?![0-9])"), "[id-number]"),
    # Mobile numbers (+86 optional) and landlines with an area code.
    (re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9])"), "[phone]"),
    (re.compile(r"(?<![0-9])0\d{2,3}-\d{7,8}(?![0-9])"), "[phone]"),
]


# Most lines (the access log) hold nothing to redact: two cheap searches decide whether the patterns run (~5 µs
# for an access-log line instead of ~75 µs; Python's \d is slow, hence [0-9]).
SUSPECT_DIGITS = re.compile(r"[0-9]{3}[0-9- ][0-9]{3}")
SUSPECT_WORDS = re.compile(r"passw|pwd|secret|token|api.?key|session|csrf|otp|authoriz|bearer|onex_")


def redact(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)  # full-width digits and letters (１１０１…) as ASCII
    if not (SUSPECT_DIGITS.search(text) or SUSPECT_WORDS.search(text.lower())):
        return text
    for pattern, replacement in REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RedactFilter(logging.Filter):
    """Merge the arguments into the message and redact it; redact the traceback too. Never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call: keep what there is
            message = f"{record.msg} {record.args}"
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        record.exc_info = None  # the text above is what gets written
        return True


class ContextFilter(logging.Filter):
    """Who and where: the request id, user id, role and client address of the request being served, if any."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = current_request.get()
        record.request_id = current_request_id.get() or None
        record.ip = record.user = record.role = None
        if request is not None:
            from core.net import client_ip

            record.ip = client_ip(request)
            user = getattr(request, "user", None)
            if user is not None and _loaded(user) and user.is_authenticated:
                record.user, record.role = user.pk, getattr(user, "role", None)
        return True


def _loaded(user) -> bool:
    """False for a request.user not read yet: reading it here would query the database in a log call."""
    return getattr(user, "_wrapped", user) is not empty


EXTRA_FIELDS = ("method", "path", "status", "duration_ms")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "user": getattr(record, "user", None),
            "role": getattr(record, "role", None),
            "ip": getattr(record, "ip", None),
        }
        line |= {name: getattr(record, name) for name in EXTRA_FIELDS if hasattr(record, name)}
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False, default=str)
