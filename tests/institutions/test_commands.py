from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalog.models import Certificate
from institutions.models import Bureau, Institution
from tests.institutions.helpers import CERTIFICATES, INSTITUTIONS, write_csv


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err, no_color=True)
    return out.getvalue(), err.getvalue()


def test_import_commands_print_counts(db):
    assert run("import_cities") == ("bureaus from anhui_cities.csv: 16 created, 0 updated, 0 unchanged\n", "")
    assert run("import_institutions", str(INSTITUTIONS)) == (
        "institutions from anhui_higher_institutions.csv: 120 created, 0 updated, 0 unchanged\n",
        "",
    )
    out, _err = run("import_certificates", str(CERTIFICATES))

    assert out.splitlines()[-1] == (
        "certificates from certificates_sample.csv: 30 created, 0 updated, 0 unchanged, "
        "awarding_bodies_created 16, levels_created 78, levels_not_stated 24"
    )
    assert out.splitlines()[0].startswith("warning: Row 22: levels_seen 'which calls it the sole")
    assert (Bureau.objects.count(), Institution.objects.count(), Certificate.objects.count()) == (16, 120, 30)


def test_import_command_fails_with_row_errors(db, tmp_path):
    run("import_cities")
    path = write_csv(tmp_path / "bad.csv", [["name", "city", "level", "moe_code"], ["坏学院", "上海市", "本科", ""]])
    err = StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("import_institutions", str(path), stdout=StringIO(), stderr=err, no_color=True)

    assert str(caught.value) == "institutions from bad.csv: 1 error(s); nothing was imported"
    assert err.getvalue() == (
        "error: Row 2: unknown city '上海市' (known: the bureaus imported from anhui_cities.csv)\n"
    )
    assert Institution.objects.count() == 0


def test_import_command_missing_file(db, tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("import_certificates", str(tmp_path / "none.csv"))

    assert str(caught.value) == f"{tmp_path / 'none.csv'}: no such file"
