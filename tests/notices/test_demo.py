"""The demo publishes the real 2022 notice (public) and the contacts it lists; a second run adds nothing."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import Client

from notices.models import Contact, Notice


def load(tmp_path) -> None:
    call_command("load_demo", accounts_file=str(tmp_path / "accounts.txt"), stdout=StringIO(), stderr=StringIO())


def test_demo_publishes_the_2022_notice_to_everyone(db, tmp_path):
    load(tmp_path)
    load(tmp_path)

    notice = Notice.objects.get()
    response = Client().get(f"/notices/2022/{notice.pk}/")
    assert (notice.number, notice.title, notice.audience, notice.date) == (
        "皖教秘职成〔2022〕11号",
        "安徽省教育厅关于做好2022年1+X证书制度试点申报工作的通知",
        "public",
        None,
    )
    assert notice.is_published and notice.offers_templates
    assert response.status_code == 200
    assert "<h3>一、申报范围</h3>" in response.content.decode()
    assert [(c.topic, c.names, c.phone) for c in Contact.objects.all()] == [
        ("policy", "徐海洋", "0551-62812653"),
        ("platform", "张娴", "0551-65658560"),
        ("quotas", "谢爱国、赵亮", "0551-65658583"),
    ]
