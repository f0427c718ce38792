#!/usr/bin/env bash
# The API client generator (openapi-python-client) in a virtualenv of its own, .tools/openapi-client, installed from
# requirements-tools.lock: it pins its own ruff, typer and pydantic, which must not move the project's locks.
# Idempotent (re-installs only when the lock changed); prints the generator's path. Used by scripts/setup.sh --dev
# and by the generated-client test (tests/api/test_generated_client.py).
set -euo pipefail

cd "$(dirname "$0")/.."
TOOLS="$(pwd)/.tools/openapi-client"
LOCK=requirements-tools.lock
stamp=$(sha256sum <"$LOCK" | cut -c1-32)

if [[ ! -x "$TOOLS/bin/openapi-python-client" ]] || [[ "$(cat "$TOOLS/.onex-installed" 2>/dev/null)" != "$stamp" ]]; then
    echo "client-generator: installing $LOCK into .tools/openapi-client" >&2
    PYTHON=${ONEX_PYTHON:-.venv/bin/python}
    "$PYTHON" -m venv --clear "$TOOLS"
    "$TOOLS/bin/python" -m pip install -qq --disable-pip-version-check -r "$LOCK"
    echo "$stamp" >"$TOOLS/.onex-installed"
fi
echo "$TOOLS/bin/openapi-python-client"
