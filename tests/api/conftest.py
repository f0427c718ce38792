"""An API client that speaks with a personal token, the same English messages as the other tests, and a rate
limit far above what a test sends (the rate-limit test sets its own)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from django.utils import timezone, translation

from api.services import create_token
from core.dates import SHANGHAI

FILING_DAY = datetime(2027, 4, 3, 10, 0, tzinfo=SHANGHAI)
BUREAU_DAY = datetime(2027, 4, 9, 10, 0, tzinfo=SHANGHAI)
PROVINCE_DAY = datetime(2027, 4, 14, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    settings.API_RATE_LIMIT = 100_000


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


class ApiClient:
    """Django's test client with `Authorization: Bearer <token>` of one user; JSON in, response out."""

    def __init__(self, client, user=None, *, raw: str | None = None, language: str = "en"):
        self.client = client
        if raw is None and user is not None:
            _token, raw = create_token(user=user, name="tests", at=timezone.now())
        # Messages follow Accept-Language (zh-hans when none is sent); the tests read the English msgids.
        self.headers = {"Accept-Language": language} | ({"Authorization": f"Bearer {raw}"} if raw else {})

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def _send(self, method: str, path: str, body):
        data = "" if body is None else json.dumps(body, ensure_ascii=False)
        return getattr(self.client, method)(
            f"/api/v1{path}", data, content_type="application/json", headers=self.headers
        )

    def post(self, path: str, body=None):
        return self._send("post", path, body)

    def patch(self, path: str, body=None):
        return self._send("patch", path, body)

    def put(self, path: str, body=None):
        return self._send("put", path, body)

    def delete(self, path: str):
        return self._send("delete", path, None)


@pytest.fixture
def api(client):
    """api(user) → an ApiClient acting as `user` through a fresh token."""
    return lambda user=None, **kwargs: ApiClient(client, user, **kwargs)
