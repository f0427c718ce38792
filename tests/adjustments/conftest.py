import pytest
from django.utils import translation

from tests.adjustments.factories import J, M, published
from tests.conftest import make_certificate


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def logistics(db):
    return make_certificate("物流管理职业技能等级证书", levels=[J, M])


@pytest.fixture
def college_plan(cast, spring, logistics):
    """college1's published spring plan: logistics junior 物流管理 100 and 电子商务 40 (higher: no bureau step)."""
    return published(cast.college1, spring, [(logistics, J, "物流管理", 100), (logistics, J, "电子商务", 40)])


@pytest.fixture
def school_plan(cast, spring, logistics):
    """school1's published spring plan (secondary: the bureau reviews first)."""
    return published(cast.school1, spring, [(logistics, J, "物流管理", 60)])
