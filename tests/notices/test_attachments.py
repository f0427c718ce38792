"""Attachments: PDFs only, checked by their bytes, at most 10 MB; readable by whoever may read the notice."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from notices import attachments, services
from notices.attachments import AttachmentRefused
from notices.enums import Audience
from tests.documents import hostile_pdfs as hostile
from tests.documents.builders import pdf_bytes, png_bytes
from tests.notices.conftest import AT, make_notice

JS_ACTION = b"9 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj"


def upload(data: bytes, name: str = "附件1申报表.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def attach(cast, notice, data: bytes, name: str = "附件1申报表.pdf"):
    return services.add_attachment(
        actor=cast.provincial_admin, notice=notice, title="附件1", upload=upload(data, name), at=AT
    )


def test_attachment_pdf_is_stored_under_its_hash_and_audited(cast, private_storage):
    notice = make_notice(cast.provincial_admin, published=False)

    attachment = attach(cast, notice, pdf_bytes())

    assert attachment.file.name == f"notices/2027/{attachment.sha256}.pdf"
    assert (attachment.original_name, attachment.size) == ("附件1申报表.pdf", len(pdf_bytes()))
    assert AuditEvent.objects.for_object(notice).filter(action="notice.attach").count() == 1


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (png_bytes(), "附件1.pdf", "附件1.pdf is named as a PDF file but its content is PNG."),
        (png_bytes(), "附件1.png", "Only PDF files can be attached to a notice."),
        (b"<html><script>alert(1)</script></html>", "附件1.pdf", "Only PDF, JPG or PNG files are accepted"),
        (pdf_bytes(extra=JS_ACTION), "附件1.pdf", "The PDF carries active content (JavaScript code (/JavaScript))"),
    ],
)
def test_attachment_refused_by_its_content(cast, private_storage, data, name, message):
    notice = make_notice(cast.provincial_admin, published=False)

    with pytest.raises(AttachmentRefused) as refused:
        attach(cast, notice, data, name)

    assert refused.value.message.startswith(message)
    assert (notice.attachments.count(), list(private_storage.rglob("*.pdf"))) == (0, [])


def test_attachment_may_link_to_a_web_address_but_not_run_anything_when_opened(cast, private_storage):
    notice = make_notice(cast.provincial_admin, published=False)

    linked = attach(cast, notice, hostile.link_to_web_address())
    with pytest.raises(AttachmentRefused) as refused:
        attach(cast, notice, hostile.open_action(hostile.ACTIONS["Launch"]), "附件2.pdf")

    assert (linked.original_name, notice.attachments.count()) == ("附件1申报表.pdf", 1)
    assert refused.value.message.startswith("The PDF carries active content (starting a program (/Launch))")


def test_attachment_over_the_size_limit_is_refused(cast, private_storage, monkeypatch):
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", len(pdf_bytes()) - 1)
    notice = make_notice(cast.provincial_admin, published=False)

    with pytest.raises(AttachmentRefused):
        attach(cast, notice, pdf_bytes())


def test_attachment_only_on_drafts(cast, private_storage):
    notice = make_notice(cast.provincial_admin)

    with pytest.raises(services.NoticeError):
        attach(cast, notice, pdf_bytes())


def test_attachment_of_a_public_notice_downloads_without_login(cast, client, private_storage):
    notice = make_notice(cast.provincial_admin, audience=Audience.PUBLIC, published=False)
    attachment = attach(cast, notice, pdf_bytes())
    services.publish_notice(actor=cast.provincial_admin, notice=notice, at=AT)

    response = client.get(f"/notices/2027/{notice.pk}/attachments/{attachment.pk}/")

    assert (response.status_code, response["Content-Type"], response.content) == (
        200,
        "application/pdf",
        pdf_bytes(),
    )


def test_attachment_of_a_non_public_notice_is_404_outside_its_audience(cast, client, private_storage):
    notice = make_notice(cast.provincial_admin, audience=Audience.BUREAUS, published=False)
    attachment = attach(cast, notice, pdf_bytes())
    services.publish_notice(actor=cast.provincial_admin, notice=notice, at=AT)
    url = f"/notices/2027/{notice.pk}/attachments/{attachment.pk}/"

    statuses = [client.get(url).status_code]
    for user in (cast.staff, cast.bureau_reviewer):
        client.force_login(user)
        statuses.append(client.get(url).status_code)

    assert statuses == [404, 404, 200]


def test_attachment_upload_page_shows_the_refusal(cast, client, private_storage):
    notice = make_notice(cast.provincial_admin, published=False)
    client.force_login(cast.provincial_admin)

    response = client.post(
        f"/notices/2027/{notice.pk}/attachments/", {"title": "附件1", "file": upload(png_bytes())}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        "附件1申报表.pdf is named as a PDF file but its content is PNG."
    ]
    assert notice.attachments.count() == 0
