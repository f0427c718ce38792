"""Logs are JSON lines with request id, user, role and address, and hold no personal data or secrets."""

from __future__ import annotations

import io
import json
import logging
import logging.config

import pytest
from django.conf import settings
from django.urls import reverse

from core.logs import redact
from tests.monitoring.factories import id_number

PERSON = id_number()  # a valid 18-character resident ID number


@pytest.fixture
def log_lines():
    """The console handler exactly as settings.LOGGING builds it, writing into a buffer; yields a reader."""
    config = {**settings.LOGGING, "incremental": False, "disable_existing_loggers": False}
    logging.config.dictConfig(config)
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler))
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    finally:
        handler.setStream(previous)
        logging.config.dictConfig(settings.LOGGING)


def test_a_record_with_an_id_number_password_and_token_is_written_without_them(log_lines):
    logger = logging.getLogger("onex.test")
    logger.warning(
        "import of %s failed: password=%s, %s",
        PERSON,
        "hunter2-secret",
        {"Authorization": "Bearer onex_abc123_s3cr3tvalue", "phone": "13912345678"},
    )
    try:
        raise ValueError(f"bad number {PERSON} for SECRET_KEY=abcdefghijklmnop")
    except ValueError:
        logger.exception("failed")

    first, second = log_lines()
    written = json.dumps([first, second], ensure_ascii=False)
    for secret in (PERSON, "hunter2-secret", "onex_abc123", "s3cr3tvalue", "13912345678", "abcdefghijklmnop"):
        assert secret not in written
    assert first["message"] == (
        "import of [id-number] failed: password=[redacted], {'Authorization': '[redacted]', 'phone': '[phone]'}"
    )
    assert (first["level"], first["logger"]) == ("WARNING", "onex.test")
    assert "ValueError: bad number [id-number] for SECRET_KEY=[redacted]" in second["exception"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"id {PERSON}.", "id [id-number]."),
        ("id 11010119900307123X!", "id [id-number]!"),
        ("old id 110101900307123", "old id [id-number]"),
        ("call +86 139-1234-5678 or 0551-62811234", "call [phone] or [phone]"),
        ("sessionid=abc123; csrftoken=def456", "sessionid=[redacted]; csrftoken=[redacted]"),
        ('{"password": "x y", "user": "staff"}', '{"password": "[redacted]", "user": "staff"}'),
        ("token='a b' next", "token='[redacted]' next"),
        ("headcount 40 in 2027, plan 123456", "headcount 40 in 2027, plan 123456"),
        ("身份证 " + "".join(chr(ord(c) + 0xFEE0) for c in PERSON), "身份证 [id-number]"),  # full-width digits
    ],
)
def test_redact(text, expected):
    assert redact(text) == expected


def test_a_request_writes_a_json_line_with_user_role_address_and_request_id(client, cast, log_lines):
    client.force_login(cast.staff)

    response = client.get(reverse("home") + f"?q={PERSON}", REMOTE_ADDR="10.1.2.3")

    [line] = [line for line in log_lines() if line["logger"] == "onex.request"]
    assert response["X-Request-ID"] == line["request_id"]
    assert len(line["request_id"]) == 32
    assert {k: line[k] for k in ("message", "user", "role", "ip", "method", "path", "status")} == {
        "message": "GET / 200",
        "user": cast.staff.pk,
        "role": "institution_staff",
        "ip": "10.1.2.3",
        "method": "GET",
        "path": "/",
        "status": 200,
    }
    assert PERSON not in json.dumps(line)


def test_an_anonymous_request_keeps_a_well_formed_incoming_request_id(client, log_lines):
    kept = client.get(reverse("login"), HTTP_X_REQUEST_ID="nginx-0123456789abcdef")
    replaced = client.get(reverse("login"), HTTP_X_REQUEST_ID="<script>")

    lines = [line for line in log_lines() if line["logger"] == "onex.request"]
    assert kept["X-Request-ID"] == "nginx-0123456789abcdef"
    assert replaced["X-Request-ID"] != "<script>"
    assert [(line["request_id"], line["user"], line["role"]) for line in lines] == [
        ("nginx-0123456789abcdef", None, None),
        (replaced["X-Request-ID"], None, None),
    ]


def test_the_client_address_behind_a_trusted_proxy(client, settings, log_lines):
    settings.TRUSTED_PROXY_COUNT = 1
    client.get(reverse("login"), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.9.8.7")
    settings.TRUSTED_PROXY_COUNT = 0
    client.get(reverse("login"), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6")

    assert [line["ip"] for line in log_lines() if line["logger"] == "onex.request"] == ["10.9.8.7", "127.0.0.1"]
