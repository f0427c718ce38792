"""Settings of the load test's server (bench/load_test.py): the production settings, served over plain HTTP
on loopback, with one bench-only URL (a bare view, the baseline). Not for anything but the load test."""

import importlib.util

if importlib.util.find_spec("onex.settings_production") is not None:
    from onex.settings_production import *  # noqa: F403
else:  # before the production settings module exists, the base settings with DEBUG off from the environment
    from onex.settings import *  # noqa: F403

ROOT_URLCONF = "load_urls"
# wrk talks plain HTTP to gunicorn on 127.0.0.1: no redirect to https (nginx does TLS in production).
SECURE_SSL_REDIRECT = False
