#!/usr/bin/env bash
# Set OneX up and run it on SQLite with the demo data: the task worker and the web server
# (gunicorn, static files served by WhiteNoise, DEBUG off) on http://127.0.0.1:${PORT:-8000}/.
# Prints the URL and the demo accounts once the server answers. Ctrl-C stops both processes.
set -euo pipefail

cd "$(dirname "$0")/.."
source scripts/_shared_dir.sh

# The demo always runs on the embedded SQLite database (onex.sqlite3 unless DEMO_SQLITE says otherwise).
unset DATABASE_URL
if [[ -n "${DEMO_SQLITE:-}" ]]; then
    export DATABASE_URL="sqlite:///$(realpath -m "$DEMO_SQLITE")"
fi
export DEBUG=false
PORT=${PORT:-8000}
HOST=127.0.0.1
URL="http://$HOST:$PORT/"
# Links in e-mails and in the inbox point where this demo really runs, whatever its port.
export SITE_URL="http://$HOST:$PORT"
PY=.venv/bin/python

scripts/setup.sh

mkdir -p var
rm -f var/demo_accounts.txt  # load_demo writes it afresh
if [[ -f onex/management/commands/load_demo.py ]] || $PY manage.py help load_demo >/dev/null 2>&1; then
    echo "demo: loading the demo data (load_demo; its report goes to var/load_demo.log)"
    if ! $PY manage.py load_demo >var/load_demo.log 2>&1; then
        cat var/load_demo.log >&2
        echo "demo: ERROR: load_demo failed" >&2
        exit 1
    fi
else
    echo "demo: no load_demo command yet; starting with an empty database"
fi
# The daily jobs live on the task queue: queue today's reminder run (the worker re-queues it each day).
$PY manage.py send_reminders >>var/load_demo.log 2>&1

pids=()
stop() {
    trap - INT TERM EXIT
    if (( ${#pids[@]} )); then
        kill -TERM "${pids[@]}" 2>/dev/null || true
        wait "${pids[@]}" 2>/dev/null || true
    fi
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

$PY manage.py db_worker --queue-name '*' --interval 2 --no-reload --verbosity 0 &
pids+=($!)
.venv/bin/gunicorn onex.wsgi:application \
    --bind "$HOST:$PORT" --workers "${WEB_CONCURRENCY:-2}" --timeout 60 \
    --log-level warning --error-logfile - &
pids+=($!)

# Wait for /healthz (at most 60 s), so the URL is printed only once it works.
for _ in $(seq 1 120); do
    if ! kill -0 "${pids[1]}" 2>/dev/null; then
        echo "demo: ERROR: the web server did not start (see above)" >&2
        exit 1
    fi
    if curl -fsS -o /dev/null "${URL}healthz" 2>/dev/null; then
        break
    fi
    sleep 0.5
done

echo
echo "OneX is running at $URL  (Ctrl-C stops it)"
if [[ -s var/demo_accounts.txt ]]; then
    echo "Demo accounts (change the passwords before real use):"
    sed 's/^/  /' var/demo_accounts.txt
    echo "Reviewers, admins and the observer set up a second factor (a TOTP authenticator app: QR code or key) on first sign-in."
else
    echo "Accounts in this database:"
    $PY manage.py shell --no-imports --verbosity 0 -c '
from accounts.models import User
users = User.objects.select_related("institution", "bureau").order_by("role", "username")
for u in users:
    print(f"  {u.username:<24} {u.get_role_display():<32} {u.scope_label}")
if not users:
    print("  (none)")
'
fi
echo

wait -n "${pids[@]}"
echo "demo: a process stopped; shutting down" >&2
exit 1
