import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Import messages are English msgids; assert them as such whatever zh-hans translations exist."""
    with translation.override("en"):
        yield
