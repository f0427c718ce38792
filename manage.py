#!/usr/bin/env python3
import os
import sys


def main():
    if sys.version_info < (3, 12):  # noqa: UP036 - python3 here is 3.11
        sys.exit(
            f"OneX needs Python 3.12 or newer (Django 6.1); this is {sys.version.split()[0]}. "
            "Run ./scripts/setup.sh, which finds python3.12/python3.13 and builds .venv."
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onex.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
