#!/usr/bin/env bash
# Property-based API testing on its own: schemathesis against /api/v1/openapi.json, on the demo data loaded into
# the test database, with tokens of the demo's school staff, bureau reviewer and provincial reviewer. Fails on any
# 5xx or any response that does not conform to the description. (The same test runs in the full suite too.)
#
#   scripts/schemathesis.sh                                   25 examples per operation and run
#   SCHEMATHESIS_MAX_EXAMPLES=100 scripts/schemathesis.sh -x  deeper; extra arguments go to pytest
#
# Uses DATABASE_URL (PostgreSQL) when it is set, SQLite otherwise.
set -euo pipefail

cd "$(dirname "$0")/.."
source scripts/_shared_dir.sh

scripts/setup.sh --dev
echo "schemathesis: ${SCHEMATHESIS_MAX_EXAMPLES:-25} examples per operation and run"
exec .venv/bin/pytest tests/api/test_schemathesis.py -q "$@"
