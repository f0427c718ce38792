from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_migrations_none_missing():
    out = StringIO()

    # With --check, makemigrations exits with status 1 when a model change has no migration.
    call_command("makemigrations", check=True, dry_run=True, stdout=out, stderr=StringIO())

    assert out.getvalue() == "No changes detected\n"
