#!/usr/bin/env bash
# Set OneX up with the test tools and run the whole test suite, then ruff and mypy.
# Uses DATABASE_URL (PostgreSQL) when it is set, SQLite otherwise. Extra arguments go to pytest:
#   scripts/test.sh tests/rounds -x
set -euo pipefail

cd "$(dirname "$0")/.."
source scripts/_shared_dir.sh

scripts/setup.sh --dev

# The browser tests drive Debian's Chromium (never `playwright install`: it downloads a browser).
if [[ ! -x /usr/bin/chromium ]]; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "test: installing Debian's chromium and fonts-noto-cjk for the browser tests"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null
    else
        echo "test: ERROR: /usr/bin/chromium is missing; the browser tests need it." >&2
        echo "      Install it as root: apt-get install chromium fonts-noto-cjk" >&2
        exit 1
    fi
fi

# The documents are rendered as a school prints them (tests/documents/test_rendering.py): Word and Excel files
# through LibreOffice headless, every PDF page to a PNG with poppler's pdftoppm.
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "test: installing LibreOffice (writer, calc; no GUI) and poppler-utils for the rendering tests"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends \
            libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-noto-cjk >/dev/null
    else
        echo "test: ERROR: soffice or pdftoppm is missing; the rendering tests need them." >&2
        echo "      Install them as root: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils" >&2
        exit 1
    fi
fi

# The rate limiter is tested on Redis, the production cache (tests/core/test_ratelimit_redis.py).
if ! command -v redis-server >/dev/null 2>&1; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "test: installing redis-server for the rate-limit tests"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends redis-server >/dev/null
    else
        echo "test: ERROR: redis-server is missing. Install it as root: apt-get install redis-server" >&2
        exit 1
    fi
fi

status=0
.venv/bin/pytest "$@" || status=$?
.venv/bin/ruff check --quiet . || status=$((status ? status : 1))
# Types (pyproject.toml [tool.mypy]): the app code, with django-stubs.
.venv/bin/mypy || status=$((status ? status : 1))
exit "$status"
