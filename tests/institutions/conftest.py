import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english(settings):
    """Import messages are English msgids; assert them as such whatever zh-hans translations exist (pages too)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
