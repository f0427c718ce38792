import json

import pytest

from audit.models import AuditEvent
from catalog.enums import Level
from catalog.importers import import_certificates, parse_levels
from catalog.models import AwardingBody, Certificate, CertificateLevel
from core.models import ProvinceSettings
from tests.institutions.helpers import CERTIFICATES, read_csv, table_counts, write_csv, write_xlsx

HEADER = ["batch", "name", "organization", "levels_seen", "source"]
DEFECT = (
    "levels_seen 'which calls it the sole 培训评价组织）' names no level (初级/中级/高级); "
    "taken as not stated: all three levels"
)
ALL = [Level.JUNIOR, Level.INTERMEDIATE, Level.SENIOR]


def levels_of(name: str) -> list[str]:
    """The certificate's levels, junior first (the model orders them alphabetically)."""
    levels = CertificateLevel.objects.filter(certificate__name=name).values_list("level", flat=True)
    return sorted(levels, key=ALL.index)


def errors(report) -> list[tuple]:
    return [(e.row, e.message) for e in report.errors]


def platform_items() -> list[dict]:
    return [
        {"certificateId": "1001", "certificateName": "物流管理职业技能等级证书", "certificateGrade": 1,
         "xzhOrgName": "北京中物联物流采购培训中心"},
        {"certificateId": "1002", "certificateName": "物流管理职业技能等级证书", "certificateGrade": "2",
         "xzhOrgName": "北京中物联物流采购培训中心"},
        {"certificateId": "2003", "certificateName": "数字孪生应用职业技能等级证书", "certificateGrade": 3,
         "xzhOrgName": "示例科技有限公司", "extra": "ignored"},
    ]  # fmt: skip


def write_json(path, items):
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return path


def test_import_certificates_real_file_loads_30(db):
    report = import_certificates(CERTIFICATES)

    assert (report.created, report.updated, report.unchanged, report.errors) == (30, 0, 0, [])
    assert Certificate.objects.count() == 30
    assert CertificateLevel.objects.count() == 78
    assert AwardingBody.objects.count() == 16
    assert report.extra == {"awarding_bodies_created": 16, "levels_created": 78, "levels_not_stated": 24}


def test_import_certificates_real_file_reports_the_unquoted_comma_rows_as_warnings(db):
    report = import_certificates(CERTIFICATES)

    assert [(w.row, w.message) for w in report.warnings] == [(22, DEFECT), (23, DEFECT), (24, DEFECT)]
    cert = Certificate.objects.get(name="集成电路开发与测试职业技能等级证书")
    assert (cert.awarding_body.name, cert.batch, levels_of(cert.name)) == ("朗迅科技", None, ALL)


def test_import_certificates_real_file_values(db):
    import_certificates(CERTIFICATES)

    bim = Certificate.objects.get(name="建筑信息模型（BIM）职业技能等级证书")
    assert (bim.batch, bim.awarding_body.name, levels_of(bim.name)) == (
        1,
        "廊坊市中科建筑产业化创新研究中心（中国建设教育协会人才评价中心）",
        ALL,
    )
    assert levels_of("传感网应用开发职业技能等级证书") == [Level.INTERMEDIATE]
    assert Certificate.objects.get(name="10千伏不停电作业职业技能等级证书").awarding_body is None
    assert Certificate.objects.filter(batch__isnull=True).count() == 14
    assert set(CertificateLevel.objects.values_list("min_headcount", flat=True)) == {None}
    assert ProvinceSettings.current().default_min_headcount == 30


def test_import_certificates_twice_changes_nothing(db):
    import_certificates(CERTIFICATES)
    before = table_counts()

    report = import_certificates(CERTIFICATES)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 30)
    assert table_counts() == before


def test_import_certificates_xlsx_equivalent(db, tmp_path):
    rows = read_csv(CERTIFICATES)
    rows = [rows[0]] + [[int(r[0]) if r[0].isdigit() else r[0], *r[1:]] for r in rows[1:]]
    path = write_xlsx(tmp_path / "certificates.xlsx", rows)

    report = import_certificates(path)

    assert (report.created, report.errors, len(report.warnings)) == (30, [], 3)
    assert CertificateLevel.objects.count() == 78
    assert Certificate.objects.get(name="物流管理职业技能等级证书").batch == 1
    assert import_certificates(CERTIFICATES).unchanged == 30


def test_import_certificates_adds_levels_but_never_removes_them(db, tmp_path):
    import_certificates(write_csv(tmp_path / "a.csv", [HEADER, ["2", "甲证书", "甲组织", "中级", ""]]))

    report = import_certificates(write_csv(tmp_path / "b.csv", [HEADER, ["2", "甲证书", "甲组织", "初级、高级", ""]]))

    assert (report.updated, levels_of("甲证书")) == (1, ALL)
    event = AuditEvent.objects.filter(action="certificate.import").order_by("-id").first()
    assert (event.before["levels"], event.after["levels"]) == (
        {"intermediate": ""},
        {"junior": "", "intermediate": "", "senior": ""},
    )


def test_import_certificates_empty_cells_never_erase(db, tmp_path):
    import_certificates(write_csv(tmp_path / "a.csv", [HEADER, ["2", "甲证书", "甲组织", "中级", "来源"]]))

    report = import_certificates(write_csv(tmp_path / "b.csv", [HEADER, ["unknown", "甲证书", "", "中级", ""]]))

    cert = Certificate.objects.get(name="甲证书")
    assert (report.unchanged, cert.batch, cert.awarding_body.name, cert.source) == (1, 2, "甲组织", "来源")


def test_parse_levels_accepts_the_usual_separators():
    assert parse_levels("初级、中级,高级") == ([Level.JUNIOR, Level.INTERMEDIATE, Level.SENIOR], [])
    assert parse_levels("初级/高级；") == ([Level.JUNIOR, Level.SENIOR], [])
    assert parse_levels("中级 专家级") == ([Level.INTERMEDIATE], ["专家级"])


def _refused(path, expected_errors):
    before = table_counts()

    report = import_certificates(path)

    assert errors(report) == expected_errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert table_counts() == before


GOOD = ["1", "好证书", "好组织", "", ""]


def test_import_certificates_wrong_header_refused(db, tmp_path):
    path = write_csv(tmp_path / "x.csv", [["batch", "title", "organization"], ["1", "好证书", "好组织"]])

    _refused(
        path,
        [(1, "The header lacks the column(s) name, levels_seen (expected batch, name, organization, levels_seen).")],
    )


def test_import_certificates_empty_name_refused(db, tmp_path):
    _refused(write_csv(tmp_path / "x.csv", [HEADER, GOOD, ["1", "", "组织", "", ""]]), [(3, "the name is empty")])


def test_import_certificates_duplicate_name_refused(db, tmp_path):
    _refused(write_csv(tmp_path / "x.csv", [HEADER, GOOD, GOOD]), [(3, "好证书 is already on row 2")])


def test_import_certificates_bad_batch_refused(db, tmp_path):
    path = write_csv(tmp_path / "x.csv", [HEADER, GOOD, ["5", "坏证书", "", "", ""]])

    _refused(path, [(3, "batch '5' is not 1–4 or unknown")])


def test_import_certificates_unknown_level_word_refused(db, tmp_path):
    path = write_csv(tmp_path / "x.csv", [HEADER, ["2", "坏证书", "", "中级、专家级", ""], GOOD])

    _refused(path, [(2, "levels_seen names unknown level(s) 专家级 (expected 初级, 中级 or 高级)")])


def test_import_certificates_too_many_cells_refused(db, tmp_path):
    path = write_csv(tmp_path / "x.csv", [HEADER, GOOD, ["2", "坏证书", "甲", "乙", "中级", "来源"]])

    _refused(path, [(3, "it has 6 cells but the header has 5 columns (an unquoted comma?)")])


def test_import_certificates_file_not_what_its_name_says_refused(db, tmp_path):
    path = tmp_path / "certificates.xlsx"
    path.write_bytes(CERTIFICATES.read_bytes())

    _refused(path, [(None, "certificates.xlsx is named as a XLSX file but its content is CSV.")])


def test_import_certificates_json_named_csv_refused(db, tmp_path):
    path = write_json(tmp_path / "certificates.csv", platform_items())

    _refused(path, [(None, "certificates.csv is named as a CSV file but its content is JSON.")])


def test_import_certificates_platform_json(db, tmp_path):
    report = import_certificates(write_json(tmp_path / "platform.json", platform_items()))

    assert (report.created, report.errors, report.warnings) == (2, [], [])
    levels = CertificateLevel.objects.order_by("platform_id").values_list("certificate__name", "level", "platform_id")
    assert list(levels) == [
        ("物流管理职业技能等级证书", Level.JUNIOR, "1001"),
        ("物流管理职业技能等级证书", Level.INTERMEDIATE, "1002"),
        ("数字孪生应用职业技能等级证书", Level.SENIOR, "2003"),
    ]
    cert = Certificate.objects.get(name="数字孪生应用职业技能等级证书")
    assert (cert.awarding_body.name, cert.batch, cert.source) == (
        "示例科技有限公司",
        None,
        "national platform certificate query (vslc.ncb.edu.cn)",
    )


def test_import_certificates_platform_json_twice_changes_nothing(db, tmp_path):
    path = write_json(tmp_path / "platform.json", platform_items())
    import_certificates(path)
    before = table_counts()

    report = import_certificates(path)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert table_counts() == before


def test_import_certificates_platform_json_fills_in_ids_of_the_csv_certificates(db, tmp_path):
    import_certificates(CERTIFICATES)

    report = import_certificates(write_json(tmp_path / "platform.json", platform_items()))

    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    logistics = CertificateLevel.objects.filter(certificate__name="物流管理职业技能等级证书")
    assert dict(logistics.values_list("level", "platform_id")) == {
        Level.JUNIOR: "1001",
        Level.INTERMEDIATE: "1002",
        Level.SENIOR: "",
    }


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"certificateGrade": 4}, [(2, "certificateGrade 4 is not 1, 2 or 3")]),
        ({"certificateName": " "}, [(2, "the name is empty")]),
        ({"certificateId": ""}, [(2, "certificateId is empty")]),
        ({"certificateId": "1001"}, [(2, "certificateId 1001 is already on item 1")]),
        ({"certificateGrade": 1, "certificateId": "1009"}, [(2, "物流管理职业技能等级证书 初级 appears twice")]),
        (
            {"xzhOrgName": "别的组织"},
            [(2, "xzhOrgName 别的组织 differs from item 1 (北京中物联物流采购培训中心)")],
        ),
    ],
)
def test_import_certificates_platform_json_bad_item_refused(db, tmp_path, change, expected):
    items = platform_items()
    items[1] |= change

    before = table_counts()
    report = import_certificates(write_json(tmp_path / "platform.json", items))

    assert [(e.row, e.message, e.unit) for e in report.errors] == [(r, m, "item") for r, m in expected]
    assert table_counts() == before


def test_import_certificates_platform_json_id_of_another_level_refused(db, tmp_path):
    import_certificates(write_json(tmp_path / "platform.json", platform_items()))
    items = [{"certificateId": "1001", "certificateName": "别的证书", "certificateGrade": 1, "xzhOrgName": ""}]
    before = table_counts()

    report = import_certificates(write_json(tmp_path / "other.json", items))

    assert errors(report) == [(1, "certificateId 1001 already belongs to 物流管理职业技能等级证书（junior）")]
    assert table_counts() == before


def test_import_certificates_platform_json_not_a_list_refused(db, tmp_path):
    path = write_json(tmp_path / "platform.json", {"certificateId": "1"})

    _refused(path, [(None, "The JSON file must hold a list of objects (one per certificate level).")])
