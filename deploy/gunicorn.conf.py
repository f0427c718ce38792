"""Gunicorn for OneX behind nginx: `gunicorn -c deploy/gunicorn.conf.py` (deploy/systemd/onex-web.service).

Every value can be changed from the environment file (deploy/onex.env.example) without editing this file.
"""

import os


def _cpus() -> int:
    # The CPUs this process may run on (a container's or a cgroup's share), not the host's.
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


wsgi_app = "onex.wsgi:application"
# nginx on the same machine talks to 127.0.0.1; with nginx on another machine, bind the private address.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# One process per CPU with four threads each (gthread), from measurement (bench/load_test.py --scale small, 2
# CPUs, December 2026, one run each on a machine shared at load average 15-20; CPU ms per request of gunicorn
# and PostgreSQL for signed-in bare view / base template / mix of plan page, queue and dashboard):
#   sync, 5 workers (2 per CPU + 1)   5.19 /  8.71 / 69.4 ms   57.9 / 36.0 / 4.3 req/s
#   sync, 2 workers                   4.03 /  7.60 / 67.3 ms   61.4 / 30.7 / 3.4 req/s
#   gthread, 2 workers × 4 threads    3.99 /  7.54 / 60.6 ms   80.5 / 42.2 / 5.4 req/s
# Fewer processes cost less CPU per request (less switching, warmer caches); threads let a request waiting on
# PostgreSQL or Redis give the CPU to another, so two processes still keep both CPUs busy and a slow export
# does not hold a whole process. nginx buffers slow clients. Each thread keeps its own database connection.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = int(os.environ.get("WEB_CONCURRENCY") or _cpus())
threads = int(os.environ.get("GUNICORN_THREADS", "4"))  # requests at once per process (gthread)
# The slowest legitimate requests (a PDF report, an Excel export of a province) take seconds;
# imports of large files are parsed by the job workers, not in the request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# A worker is replaced after this many requests (with jitter, so not all at once): caps slow leaks.
max_requests = 2000
max_requests_jitter = 200
# The heartbeat file on tmpfs: a slow or full disk must not get workers killed.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 (gunicorn makes its own files)
# systemd restarts the service; the control socket adds nothing here.
control_socket_disable = True

# Only nginx may tell us the scheme (X-Forwarded-Proto): its address(es), comma-separated.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# The application logs every request itself (logger onex.request, redacted JSON), so gunicorn's access log is
# off unless GUNICORN_ACCESS_LOG names a file ("-": standard output). Its format has no personal data: no client
# address, no user, no query string (search terms, names), no referrer or user agent; method, path, status,
# bytes and milliseconds.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "") or None
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "WARNING").lower()
