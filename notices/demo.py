"""The demo's notices and contacts: the real 2022 notice (皖教秘职成〔2022〕11号) and the contacts it lists.

Nothing here is invented: the title, document number, body and contacts are the notice's own (its body is kept
beside this file, transcribed from the published text with the page breaks of the transcription removed). The
notice's date of issue is not in that text, so it is left empty. Idempotent.
"""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone

from audit.services import record
from notices import services
from notices.enums import Audience, ContactTopic
from notices.models import Contact, Notice

NOTICE_NUMBER = "皖教秘职成〔2022〕11号"
NOTICE_TITLE = "安徽省教育厅关于做好2022年1+X证书制度试点申报工作的通知"
NOTICE_BODY = Path(__file__).resolve().parent / "demo" / "notice-2022-11.md"
OFFICE_MAILBOX = "ahxzsbg@126.com"  # where the notice has stamped scans and adjustment requests sent

# (topic, office, people, phone, e-mail, what to ask), as the notice lists them under 联系方式.
CONTACTS = [
    (ContactTopic.POLICY, "省教育厅职成处", "徐海洋", "0551-62812653", "", "1+X证书制度试点政策"),
    (ContactTopic.PLATFORM, "省1+X办公室", "张娴", "0551-65658560", OFFICE_MAILBOX, "申报工作与平台"),
    (ContactTopic.QUOTAS, "省1+X办公室", "谢爱国、赵亮", "0551-65658583", OFFICE_MAILBOX, "指标审核与调整咨询"),
]


def load_notice(*, admin) -> Notice:
    """The 2022 notice, published to everyone (此件主动公开), with the blank templates of its three attachments."""
    notice = Notice.objects.filter(number=NOTICE_NUMBER).first()
    if notice is not None:
        return notice
    notice = services.create_notice(
        actor=admin,
        year=2022,
        number=NOTICE_NUMBER,
        date=None,
        title=NOTICE_TITLE,
        body=NOTICE_BODY.read_text(encoding="utf-8"),
        audience=Audience.PUBLIC,
        institution_kind="",
        round=None,
        offers_templates=True,
        expects_receipts=True,
    )
    return services.publish_notice(actor=admin, notice=notice, at=timezone.now())


def load_contacts() -> None:
    if Contact.objects.exists():
        return
    for position, (topic, unit, names, phone, email, note) in enumerate(CONTACTS, start=1):
        contact = Contact.objects.create(
            topic=topic, unit=unit, names=names, phone=phone, email=email, note=note, position=position
        )
        record(actor=None, action="contact.demo", obj=contact, after={"unit": unit, "names": names, "phone": phone})
