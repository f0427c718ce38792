from __future__ import annotations

from urllib.parse import unquote

from core.downloads import (
    adjustment_filename,
    application_filename,
    ascii_fallback,
    content_disposition,
    safe_filename,
)

# A name with Chinese, spaces, full- and half-width punctuation, and characters file systems refuse.
AWKWARD = '安徽 省·示例（职业）学院 "A/B" 分校:2号?'


def test_application_filename_follows_the_notice():
    assert application_filename("示例合肥职业学校", 2027, "xlsx") == "示例合肥职业学校2027年证书申报.xlsx"
    assert application_filename("示例学校", 2027, "pdf", part="附件1申报表-物流管理") == (
        "示例学校2027年证书申报-附件1申报表-物流管理.pdf"
    )


def test_adjustment_filename_follows_the_notice():
    assert adjustment_filename("示例合肥职业技术学院", 2027, "docx") == "示例合肥职业技术学院2027年证书调整申请.docx"


def test_filename_with_chinese_spaces_and_punctuation_keeps_what_is_safe():
    assert application_filename(AWKWARD, 2027, "xlsx") == "安徽 省·示例（职业）学院 _A_B_ 分校_2号_2027年证书申报.xlsx"


def test_safe_filename_removes_path_parts_and_reserved_names():
    assert safe_filename("../../etc/passwd") == "_.._etc_passwd"
    assert safe_filename("..\\..\\boot.ini") == "_.._boot.ini"
    assert safe_filename("CON.txt") == "_CON.txt"
    assert safe_filename("  . ") == "document"
    assert safe_filename("a\x00b\nc.pdf") == "a_b_c.pdf"


def test_content_disposition_carries_an_ascii_fallback_and_the_utf8_name():
    name = application_filename(AWKWARD, 2027, "xlsx")

    header = content_disposition(name)

    kind, fallback, encoded = header.split("; ")
    assert kind == "attachment"
    assert fallback == 'filename="AnHui_ShengShiLi_ZhiYe_XueYuan_A_B_FenXiao_2Hao_2027NianZhengShuShenBao.xlsx"'
    assert encoded.startswith("filename*=UTF-8''")
    assert unquote(encoded.removeprefix("filename*=UTF-8''")) == name
    assert header.isascii()


def test_ascii_fallback_of_a_chinese_only_name_is_still_a_name():
    assert ascii_fallback("示例学校.xlsx") == "ShiLiXueXiao.xlsx"
    assert ascii_fallback("示例学校2026年证书申报.xlsx") == "ShiLiXueXiao2026NianZhengShuShenBao.xlsx"
    assert ascii_fallback("Report 2027 (final).pdf") == "Report_2027_final.pdf"
