import pytest

from audit.models import AuditEvent
from core.tabular import Issue
from institutions.enums import BureauKind, InstitutionKind
from institutions.importers import import_bureaus, import_institutions
from institutions.models import Bureau, Institution
from tests.institutions.helpers import CITIES, INSTITUTIONS, read_csv, table_counts, write_csv, write_xlsx

HEADER = ["name", "city", "level", "moe_code", "authority", "remarks", "source"]


@pytest.fixture
def cities(db):
    return import_bureaus(CITIES)


def errors(report) -> list[tuple]:
    return [(e.row, e.message) for e in report.errors]


def test_import_bureaus_real_file_creates_16_cities(db):
    report = import_bureaus(CITIES)

    assert (report.created, report.updated, report.unchanged, report.errors) == (16, 0, 0, [])
    assert Bureau.objects.count() == 16
    assert set(Bureau.objects.values_list("kind", flat=True)) == {BureauKind.CITY}
    assert Bureau.objects.filter(name="合肥市").exists()


def test_import_bureaus_twice_changes_nothing(cities):
    before = table_counts()

    report = import_bureaus(CITIES)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 16)
    assert table_counts() == before


def test_import_bureaus_duplicate_city_refused(db, tmp_path):
    path = write_csv(tmp_path / "c.csv", [["city"], ["合肥市"], ["合肥市"]])

    report = import_bureaus(path)

    assert errors(report) == [(3, "合肥市 is already on row 2")]
    assert Bureau.objects.count() == 0


def test_import_institutions_real_file_counts(cities):
    report = import_institutions(INSTITUTIONS)

    assert (report.created, report.updated, report.unchanged) == (120, 0, 0)
    assert (report.errors, report.warnings) == ([], [])
    assert Institution.objects.count() == 120
    assert Institution.objects.filter(kind=InstitutionKind.APPLIED_UNDERGRAD).count() == 45
    assert Institution.objects.filter(kind=InstitutionKind.HIGHER_VOCATIONAL).count() == 75
    assert Institution.objects.filter(bureau__name="合肥市").count() == 55
    assert Institution.objects.filter(ministry_code__isnull=True).count() == 1


def test_import_institutions_real_file_values(cities):
    import_institutions(INSTITUTIONS)

    inst = Institution.objects.get(ministry_code="4134014210")
    assert (inst.name, inst.bureau.name, inst.kind, inst.authority, inst.remarks) == (
        "安徽现代信息工程职业学院",
        "六安市",
        InstitutionKind.HIGHER_VOCATIONAL,
        "安徽省教育厅",
        "民办",
    )
    assert (inst.platform_account, inst.is_example) == ("", False)


def test_import_institutions_audits_each_creation_as_the_system(cities):
    before = AuditEvent.objects.filter(action="institution.import").count()

    import_institutions(INSTITUTIONS)

    events = AuditEvent.objects.filter(action="institution.import")
    assert events.count() - before == 120
    assert set(events.values_list("actor_name", flat=True)) == {"system"}


def test_import_institutions_twice_changes_nothing(cities):
    import_institutions(INSTITUTIONS)
    before = table_counts()
    values = list(Institution.objects.order_by("pk").values())

    report = import_institutions(INSTITUTIONS)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 120)
    assert table_counts() == before
    assert list(Institution.objects.order_by("pk").values()) == values


def test_import_institutions_xlsx_equivalent_with_numeric_codes(cities, tmp_path):
    rows = read_csv(INSTITUTIONS)
    # Excel users type codes as numbers: they arrive as floats like 4134013343.0.
    rows = [rows[0]] + [[int(c) if i == 3 and c else c for i, c in enumerate(r)] for r in rows[1:]]
    path = write_xlsx(tmp_path / "institutions.xlsx", rows)

    report = import_institutions(path)

    assert (report.created, report.errors) == (120, [])
    assert Institution.objects.filter(kind=InstitutionKind.APPLIED_UNDERGRAD).count() == 45
    assert Institution.objects.get(name="亳州职业技术学院").ministry_code == "4134013343"
    assert (import_institutions(INSTITUTIONS).unchanged, import_institutions(path).unchanged) == (120, 120)


def test_import_institutions_keeps_a_kind_an_admin_corrected(cities):
    import_institutions(INSTITUTIONS)
    Institution.objects.filter(name="安徽职业技术学院").update(kind=InstitutionKind.APPLIED_UNDERGRAD)

    report = import_institutions(INSTITUTIONS)

    assert Institution.objects.get(name="安徽职业技术学院").kind == InstitutionKind.APPLIED_UNDERGRAD
    assert (report.unchanged, report.updated) == (120, 0)
    assert [(w.row, w.message) for w in report.warnings] == [
        (
            7,
            "kept the stored kind applied undergraduate; the file says higher vocational "
            "(correct it by hand if it changed)",
        )
    ]


def test_import_institutions_updates_a_changed_row_and_audits_it(cities, tmp_path):
    import_institutions(INSTITUTIONS)
    rows = read_csv(INSTITUTIONS)
    rows[6][5] = "更名备注"
    path = write_csv(tmp_path / "changed.csv", rows)

    report = import_institutions(path)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 119)
    event = AuditEvent.objects.filter(action="institution.import").order_by("-id").first()
    assert (event.object_repr, event.before, event.after) == (
        "安徽职业技术学院",
        {"remarks": ""},
        {"remarks": "更名备注"},
    )


def test_import_institutions_matches_a_row_without_code_by_name(cities, tmp_path):
    import_institutions(INSTITUTIONS)
    path = write_csv(tmp_path / "x.csv", [HEADER, ["合肥财经职业学院", "合肥市", "专科", "", "", "新备注", ""]])

    report = import_institutions(path)

    assert (report.created, report.updated) == (0, 1)
    assert Institution.objects.get(name="合肥财经职业学院").remarks == "新备注"


def test_import_institutions_gives_a_code_to_an_institution_known_by_name(cities, tmp_path):
    Institution.objects.create(name="某某职业学院", kind="higher_vocational", bureau=Bureau.objects.get(name="合肥市"))
    path = write_csv(tmp_path / "x.csv", [HEADER, ["某某职业学院", "合肥市", "专科", "4134099999", "", "", ""]])

    report = import_institutions(path)

    assert (report.created, report.updated, report.errors) == (0, 1, [])
    assert Institution.objects.get(name="某某职业学院").ministry_code == "4134099999"


def _refused(path, expected_errors):
    before = table_counts()

    report = import_institutions(path)

    assert errors(report) == expected_errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert table_counts() == before


GOOD = ["好学院", "合肥市", "专科", "4134000100", "安徽省", "", ""]


def test_import_institutions_wrong_header_refused(cities, tmp_path):
    path = write_csv(tmp_path / "x.csv", [["name", "town", "moe_code"], ["好学院", "合肥市", "4134000100"]])

    _refused(path, [(1, "The header lacks the column(s) city, level (expected name, city, level, moe_code).")])


def test_import_institutions_unknown_city_refused(cities, tmp_path):
    path = write_csv(tmp_path / "x.csv", [HEADER, GOOD, ["坏学院", "上海市", "本科", "4134000101", "", "", ""]])

    _refused(path, [(3, "unknown city '上海市' (known: the bureaus imported from anhui_cities.csv)")])


def test_import_institutions_empty_name_refused(cities, tmp_path):
    path = write_csv(tmp_path / "x.csv", [HEADER, ["", "合肥市", "本科", "4134000101", "", "", ""], GOOD])

    _refused(path, [(2, "the name is empty")])


def test_import_institutions_unknown_level_refused(cities, tmp_path):
    path = write_csv(tmp_path / "x.csv", [HEADER, GOOD, ["中职学校", "合肥市", "中职", "", "", "", ""]])

    _refused(path, [(3, "level '中职' is neither 本科 nor 专科")])


def test_import_institutions_bad_code_refused(cities, tmp_path):
    path = write_csv(tmp_path / "x.csv", [HEADER, ["坏学院", "合肥市", "本科", "4.134E+09", "", "", ""], GOOD])

    _refused(path, [(2, "ministry code '4.134E+09' is not 10 digits")])


def test_import_institutions_duplicate_code_in_file_refused(cities, tmp_path):
    path = write_csv(tmp_path / "x.csv", [HEADER, GOOD, ["另一学院", "芜湖市", "本科", "4134000100", "", "", ""]])

    _refused(path, [(3, "ministry code 4134000100 is already on row 2")])


def test_import_institutions_duplicate_name_in_file_refused(cities, tmp_path):
    path = write_csv(tmp_path / "x.csv", [HEADER, GOOD, ["好学院", "芜湖市", "本科", "4134000101", "", "", ""]])

    _refused(path, [(3, "好学院 is already on row 2")])


def test_import_institutions_code_clashing_with_another_institution_refused(cities, tmp_path):
    import_institutions(INSTITUTIONS)
    # 安徽职业技术学院 is 4134010869; this row gives that name with another existing institution's code.
    path = write_csv(
        tmp_path / "x.csv", [HEADER, GOOD, ["安徽职业技术学院", "合肥市", "专科", "4134013343", "", "", ""]]
    )

    _refused(path, [(3, "the name 安徽职业技术学院 belongs to another institution (ministry code 4134010869)")])


def test_import_institutions_name_registered_with_another_code_refused(cities, tmp_path):
    import_institutions(INSTITUTIONS)
    path = write_csv(tmp_path / "x.csv", [HEADER, ["安徽职业技术学院", "合肥市", "专科", "4134000999", "", "", ""]])

    _refused(path, [(2, "安徽职业技术学院 is already registered with ministry code 4134010869, not 4134000999")])


def test_import_institutions_several_bad_rows_each_named(cities, tmp_path):
    path = write_csv(
        tmp_path / "x.csv",
        [
            HEADER,
            GOOD,
            ["", "合肥市", "本科", "", "", "", ""],
            ["坏学院", "上海市", "本科", "", "", "", ""],
            ["又一学院", "合肥市", "本科", "4134000100", "", "", ""],
        ],
    )

    _refused(
        path,
        [
            (3, "the name is empty"),
            (4, "unknown city '上海市' (known: the bureaus imported from anhui_cities.csv)"),
            (5, "ministry code 4134000100 is already on row 2"),
        ],
    )


def test_import_institutions_xlsx_bad_row_refused(cities, tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", [HEADER, GOOD, ["坏学院", "上海市", "本科", 4134000101, None, None, None]])

    _refused(path, [(3, "unknown city '上海市' (known: the bureaus imported from anhui_cities.csv)")])


def test_import_institutions_file_not_what_its_name_says_refused(cities, tmp_path):
    real_xlsx = write_xlsx(tmp_path / "real.xlsx", [HEADER, GOOD])
    path = tmp_path / "institutions.csv"
    path.write_bytes(real_xlsx.read_bytes())

    _refused(path, [(None, "institutions.csv is named as a CSV file but its content is XLSX.")])


def test_import_institutions_json_refused(cities, tmp_path):
    path = tmp_path / "institutions.json"
    path.write_text("[]", encoding="utf-8")

    report = import_institutions(path)

    assert report.errors == [Issue(None, "institutions.json: only CSV\u3001XLSX files can be imported here.")]
