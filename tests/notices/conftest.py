from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import translation

from core.dates import SHANGHAI
from notices import services
from notices.enums import Audience
from notices.models import Notice

AT = datetime(2027, 3, 20, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def english(settings):
    """Pages and messages in their English msgids, whatever translations exist."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def make_notice(
    author,
    *,
    audience: str = Audience.INSTITUTIONS,
    kind: str = "",
    title: str = "关于做好2027年1+X证书申报工作的通知",
    body: str = "各院校：请按时申报。",
    number: str = "",
    published: bool = True,
    **extra,
) -> Notice:
    notice = services.create_notice(
        actor=author,
        year=2027,
        number=number,
        date=None,
        title=title,
        body=body,
        audience=audience,
        institution_kind=kind,
        round=extra.pop("round", None),
        offers_templates=extra.pop("offers_templates", False),
        expects_receipts=extra.pop("expects_receipts", True),
    )
    if published:
        notice = services.publish_notice(actor=author, notice=notice, at=AT)
    return notice
