"""The production settings module passes Django's deployment checks, and refuses to start half-configured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

MANAGE = Path(settings.BASE_DIR) / "manage.py"
SECRET = "x" * 20 + "-production-test-secret-not-used-anywhere-else-0123456789"
ID_KEY = "A" * 43  # base64 of 32 bytes, a throwaway


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Not what the tests run with: the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, which the checks refuse.
    dropped = ("DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "DJANGO_ALLOW_ASYNC_UNSAFE", "ONEX_ID_KEY_FILE")
    environ = {k: v for k, v in os.environ.items() if k not in dropped}
    environ |= {
        "DJANGO_SETTINGS_MODULE": "onex.settings_production",
        "ALLOWED_HOSTS": "onex.example.edu.cn",
        "ONEX_ID_KEY": ID_KEY,
    } | env
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(MANAGE), *args], env=environ, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_passes_at_warning_level():
    done = _manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=SECRET)

    assert (done.returncode, done.stderr) == (0, "")
    assert "System check identified no issues" in done.stdout


def test_production_settings_refuse_a_missing_or_placeholder_secret_key():
    missing = _manage("check")
    placeholder = _manage("check", SECRET_KEY="change-me")

    assert missing.returncode == placeholder.returncode == 1
    assert "Set SECRET_KEY" in missing.stderr
    assert "Set SECRET_KEY" in placeholder.stderr


def test_production_settings_refuse_debug():
    done = _manage("check", SECRET_KEY=SECRET, DEBUG="true")

    assert done.returncode == 1
    assert "DEBUG must stay off" in done.stderr


def test_production_settings_refuse_a_missing_id_number_key():
    missing = _manage("check", SECRET_KEY=SECRET, ONEX_ID_KEY="")

    assert missing.returncode == 1
    assert "Set ONEX_ID_KEY" in missing.stderr
