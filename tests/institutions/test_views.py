import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from catalog.models import Certificate
from institutions.importers import import_bureaus
from institutions.models import Institution
from tests.institutions.helpers import CERTIFICATES, CITIES, INSTITUTIONS, table_counts

URL = reverse("import_data")


def upload(path, name=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def test_import_page_shows_the_form_to_the_provincial_admin(client, cast):
    client.force_login(cast.provincial_admin)

    response = client.get(URL)

    assert response.status_code == 200
    assert 'name="file"' in response.content.decode()


@pytest.mark.parametrize(
    "who", ["staff", "office_head", "leader", "bureau_reviewer", "provincial_reviewer", "observer"]
)
def test_import_page_is_forbidden_to_other_roles(client, cast, who):
    client.force_login(getattr(cast, who))

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"kind": "institutions", "file": upload(INSTITUTIONS)}).status_code == 403


def test_import_page_needs_a_login(client, db):
    response = client.get(URL)

    assert (response.status_code, response.url) == (302, f"/accounts/login/?next={URL}")


def test_import_page_imports_institutions_and_shows_counts(client, cast):
    import_bureaus(CITIES)  # 合肥市 and 芜湖市 exist already in the cast; the other 14 are added
    client.force_login(cast.provincial_admin)

    response = client.post(URL, {"kind": "institutions", "file": upload(INSTITUTIONS)})

    assert response.status_code == 200
    assert response.context["report"].summary() == "120 created, 0 updated, 0 unchanged"
    assert Institution.objects.filter(is_example=False).count() == 120
    assert set(AuditEvent.objects.filter(action="institution.import").values_list("actor_name", flat=True)) == {
        "provincial_admin"
    }


def test_import_page_imports_certificates(client, cast):
    client.force_login(cast.provincial_admin)

    response = client.post(URL, {"kind": "certificates", "file": upload(CERTIFICATES)})

    report = response.context["report"]
    assert (report.created, [w.row for w in report.warnings]) == (30, [22, 23, 24])
    assert Certificate.objects.count() == 30
    assert 'data-testid="import-warnings"' in response.content.decode()


def test_import_page_shows_row_errors_and_imports_nothing(client, cast, tmp_path):
    client.force_login(cast.provincial_admin)
    bad = tmp_path / "bad.csv"
    bad.write_text("name,city,level,moe_code\n好学院,合肥市,专科,4134000100\n坏学院,上海市,本科,\n", encoding="utf-8")
    before = table_counts()

    response = client.post(URL, {"kind": "institutions", "file": upload(bad)})

    assert [str(e) for e in response.context["report"].errors] == [
        "Row 3: unknown city '上海市' (known: the bureaus imported from anhui_cities.csv)"
    ]
    assert "上海市" in response.content.decode()
    assert table_counts() == before


def test_import_page_refuses_a_file_that_is_not_what_its_name_says(client, cast):
    client.force_login(cast.provincial_admin)

    response = client.post(URL, {"kind": "certificates", "file": upload(INSTITUTIONS, "certificates.xlsx")})

    assert [str(e) for e in response.context["report"].errors] == [
        "certificates.xlsx is named as a XLSX file but its content is CSV."
    ]


def test_import_page_refuses_json_for_institutions(client, cast):
    client.force_login(cast.provincial_admin)

    response = client.post(URL, {"kind": "institutions", "file": SimpleUploadedFile("x.json", b"[]")})

    assert response.context["form"].errors == {"file": ["Only CSV、XLSX files can be imported here."]}
    assert response.context["report"] is None
