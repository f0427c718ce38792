#!/usr/bin/env bash
# Set OneX up in this checkout: a Python >= 3.12 virtualenv in .venv, the locked dependencies,
# compiled translations, the database schema and the collected static files.
#
#   scripts/setup.sh          runtime dependencies only
#   scripts/setup.sh --dev    plus the test and lint tools (requirements-dev.lock), in .tools/ the API client
#                             generator (requirements-tools.lock), and wrk for the load test (apt-get, as root)
#
# Idempotent and quiet: a second run only re-checks. The interpreter can be forced with ONEX_PYTHON.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"

dev=0
for arg in "$@"; do
    case "$arg" in
        --dev) dev=1 ;;
        *) echo "setup.sh: unknown argument: $arg" >&2; exit 2 ;;
    esac
done

say() { echo "setup: $*"; }

# True when "$1" really runs and is Python >= 3.12. pyenv shims exist for versions that are
# installed but not selected and then fail, so a candidate is tested by running it.
python_ok() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

find_python() {
    local candidates=()
    [[ -n "${ONEX_PYTHON:-}" ]] && candidates+=("$ONEX_PYTHON")
    # 3.12 first: the lock files are compiled for it (uv pip compile --python-version 3.12).
    candidates+=(python3.12 python3.13)
    if command -v pyenv >/dev/null 2>&1; then
        local root
        root=$(pyenv root 2>/dev/null || true)
        if [[ -n "$root" ]]; then
            for bin in "$root"/versions/3.12*/bin/python3 "$root"/versions/3.1[3-9]*/bin/python3; do
                [[ -x "$bin" ]] && candidates+=("$bin")
            done
        fi
    fi
    for bin in /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9] python3; do
        candidates+=("$bin")
    done
    for candidate in "${candidates[@]}"; do
        if python_ok "$candidate"; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

if [[ -x "$VENV/bin/python" ]] && ! python_ok "$VENV/bin/python"; then
    say "the existing .venv does not run Python >= 3.12; recreating it"
    rm -rf "$VENV"
fi

if [[ ! -x "$VENV/bin/python" ]]; then
    if ! PYTHON=$(find_python); then
        cat >&2 <<'EOF'
setup: ERROR: no Python >= 3.12 found (Django 6.1 needs it; the default python3 may be older).
  Tried: $ONEX_PYTHON, python3.12, python3.13, $(pyenv root)/versions/3.1[2-9]*/bin/python3, /usr/bin/python3.1x.
  Install one (e.g. `pyenv install 3.12` or `apt-get install python3.12 python3.12-venv`)
  or point ONEX_PYTHON at it, then run this script again.
EOF
        exit 1
    fi
    say "creating .venv with $PYTHON ($("$PYTHON" -c 'import sys; print(sys.version.split()[0])'))"
    "$PYTHON" -m venv "$VENV"
fi

PY="$VENV/bin/python"

# Install only what changed since the last successful install (one hash per lock file).
STAMP="$VENV/.onex-installed"
touch "$STAMP"
locks=(requirements.lock)
[[ $dev == 1 ]] && locks+=(requirements-dev.lock)
reqs=()
for lock in "${locks[@]}"; do
    if ! grep -qxF "$lock $(sha256sum <"$lock" | cut -c1-32)" "$STAMP"; then
        reqs+=(-r "$lock")
    fi
done
if (( ${#reqs[@]} )); then
    say "installing ${locks[*]}"
    # The runtime lock always goes with the dev lock so pip resolves them together.
    "$PY" -m pip install -qq --disable-pip-version-check -r requirements.lock "${reqs[@]}"
    for lock in "${locks[@]}"; do
        grep -vE "^$lock " "$STAMP" >"$STAMP.new" || true
        echo "$lock $(sha256sum <"$lock" | cut -c1-32)" >>"$STAMP.new"
        mv "$STAMP.new" "$STAMP"
    done
fi

# The API client generator the tests run, in .tools/ (its own virtualenv: it pins its own ruff and typer).
if [[ $dev == 1 ]]; then
    scripts/client-generator.sh >/dev/null
fi

# The load test (bench/load_test.py) drives the server with wrk, Debian's HTTP benchmarking tool.
if [[ $dev == 1 ]] && ! command -v wrk >/dev/null 2>&1; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        say "installing Debian's wrk for the load test"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends wrk >/dev/null
    else
        say "NOTE: wrk is missing; bench/load_test.py needs it. Install it as root: apt-get install wrk"
    fi
fi

# Translations: compile the .po files when gettext's msgfmt is there (the .mo files may be committed).
if command -v msgfmt >/dev/null 2>&1 && compgen -G "locale/*/LC_MESSAGES/*.po" >/dev/null; then
    "$PY" manage.py compilemessages --verbosity 0 --ignore .venv --ignore var --ignore node_modules
fi

"$PY" manage.py migrate --no-input --verbosity 0
"$PY" manage.py collectstatic --no-input --verbosity 0
