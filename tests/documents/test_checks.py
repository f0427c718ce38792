from pathlib import Path

from documents.checks import cjk_font_check, has_cjk_font


def test_cjk_font_check_passes_where_fonts_noto_cjk_is_installed():
    assert cjk_font_check() == []


def test_cjk_font_check_warns_without_any_cjk_font(tmp_path):
    assert has_cjk_font(paths=(Path(tmp_path / "missing.ttc"),), fc_list=None) is False
