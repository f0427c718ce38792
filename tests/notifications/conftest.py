import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english(settings):
    """Messages in the English msgids (e-mails are rendered in the site language, so that is English too)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Run queued jobs (e-mail delivery) at once, so tests see the mail in `mail.outbox`."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
