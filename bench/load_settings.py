"""Settings of the load test's server (bench/load_test.py): the production settings, served over plain HTTP
on loopback, with one bench-only URL (a bare view, the baseline). Not for anything but the load test."""

from onex.settings_production import *  # noqa: F403

ROOT_URLCONF = "load_urls"
# wrk talks plain HTTP to gunicorn on 127.0.0.1: no redirect to https (nginx does TLS in production).
SECURE_SSL_REDIRECT = False
