"""The deployment files (deploy/) agree with the code: the environment file, gunicorn, nginx, systemd."""

from __future__ import annotations

import ast
import re
import runpy
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import load_command_class
from gunicorn.config import Config

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
ENV_EXAMPLE = DEPLOY / "onex.env.example"
NGINX = DEPLOY / "nginx" / "onex.conf"
GUNICORN = DEPLOY / "gunicorn.conf.py"
# Read by the code but never set in production: tests only.
TEST_ONLY = {"SQLITE_TEST_NAME"}
ENV_HELPERS = {"envstr", "envint", "envbool", "envlist"}


def env_names_read(path: Path) -> set[str]:
    """Names the module reads from the environment: envstr("X") & co., os.environ.get("X"), os.environ["X"]."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            helper = isinstance(func, ast.Name) and func.id in ENV_HELPERS
            environ = isinstance(func, ast.Attribute) and (
                (func.attr in ("get", "setdefault") and ast.unparse(func.value) == "os.environ")
                or ast.unparse(func) == "os.getenv"
            )
            if helper or environ:
                names.add(node.args[0].value)
                if helper:  # envstr reads NAME_FILE before NAME (secrets in files)
                    names.add(f"{node.args[0].value}_FILE")
        elif (
            isinstance(node, ast.Subscript)
            and ast.unparse(node.value) == "os.environ"
            and isinstance(node.slice, ast.Constant)
        ):
            names.add(node.slice.value)
    return {name for name in names if isinstance(name, str)}


def code_files() -> list[Path]:
    """The project's own code: not its tests, nor a virtualenv or tool folder (`.venv`, `.tools`: hidden ones)."""
    skip = {"tests", "bench", "migrations", "node_modules", "var"}
    return [
        path
        for path in ROOT.rglob("*.py")
        if not skip & set(parts := path.relative_to(ROOT).parts) and not any(part.startswith(".") for part in parts)
    ]


def env_example_names() -> set[str]:
    """NAME=… lines of the example, commented-out optional ones (`#NAME=…`) included."""
    pattern = re.compile(r"^#?\s?([A-Z][A-Z0-9_]*)=")
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    return {match[1] for line in lines if (match := pattern.match(line))}


def nginx_size(value: str) -> int:
    units = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
    number, unit = re.fullmatch(r"(\d+)([kmg]?)", value.lower()).groups()
    return int(number) * units[unit]


def nginx_directives(name: str) -> list[str]:
    text = re.sub(r"#.*", "", NGINX.read_text(encoding="utf-8"))
    return [value.strip() for value in re.findall(rf"^\s*{name}\s+([^;]+);", text, re.MULTILINE)]


def test_env_example_names_only_what_the_code_reads():
    read = set().union(*(env_names_read(path) for path in code_files()))

    assert env_example_names() - read == set()


def test_env_example_lists_every_setting_the_code_reads():
    read = set().union(*(env_names_read(path) for path in code_files()))
    # A NAME_FILE variant need not be listed on its own: the example says that every value may come from a file.
    read = {name for name in read if not (name.endswith("_FILE") and name.removesuffix("_FILE") in read)}

    assert read - TEST_ONLY - env_example_names() == set()


def test_env_names_read_finds_helpers_environ_and_file_variants(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('A = envint("ONE", 1)\nB = os.environ.get("TWO")\nC = os.environ["THREE"]\nD = other("FOUR")\n')

    assert env_names_read(module) == {"ONE", "ONE_FILE", "TWO", "THREE"}


def gunicorn_settings(monkeypatch, **env) -> dict:
    names = ("GUNICORN_BIND", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT", "FORWARDED_ALLOW_IPS", "GUNICORN_ACCESS_LOG")
    for name in (*names, "GUNICORN_WORKER_CLASS", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    namespace = runpy.run_path(str(GUNICORN))
    return {key: value for key, value in namespace.items() if not key.startswith("_") and not callable(value)}


def test_gunicorn_conf_is_valid_for_gunicorn(monkeypatch):
    values = gunicorn_settings(monkeypatch)
    config = Config()

    for key, value in values.items():
        if key != "os":
            config.set(key, value)  # unknown names and bad values raise

    assert (config.worker_class_str, config.workers >= 1, config.threads, config.forwarded_allow_ips) == (
        "gthread",
        True,
        4,
        ["127.0.0.1"],
    )
    # The application logs each request (onex.request); gunicorn's own access log is off unless asked for.
    assert config.accesslog is None


def test_gunicorn_conf_reads_its_environment(monkeypatch):
    environment = {"GUNICORN_BIND": "10.0.0.11:8000", "WEB_CONCURRENCY": "7", "GUNICORN_ACCESS_LOG": "-"}
    values = gunicorn_settings(monkeypatch, **environment, FORWARDED_ALLOW_IPS="10.0.0.2")

    assert (values["bind"], values["workers"], values["accesslog"], values["forwarded_allow_ips"]) == (
        "10.0.0.11:8000",
        7,
        "-",
        "10.0.0.2",
    )


def test_gunicorn_access_log_has_no_personal_data(monkeypatch):
    log_format = gunicorn_settings(monkeypatch)["access_log_format"]
    # address, user, request line (with its query string), query string, referrer, user agent, any header
    personal = ("%(h)s", "%(u)s", "%(r)s", "%(q)s", "%(f)s", "%(a)s", "}i)s", "}e)s")

    assert [atom for atom in personal if atom in log_format] == []


def test_nginx_body_limit_matches_the_largest_upload():
    from documents.scans import MAX_SCAN_BYTES
    from monitoring.services import max_upload_bytes

    (body,) = nginx_directives("client_max_body_size")
    limits = [settings.IMPORT_MAX_BYTES, max_upload_bytes(), MAX_SCAN_BYTES, getattr(settings, "REQUEST_MAX_BYTES", 0)]

    assert nginx_size(body) >= max(limits)


def test_nginx_forwards_to_the_gunicorn_port_and_appends_the_client_address(monkeypatch):
    bind = gunicorn_settings(monkeypatch)["bind"]
    servers = [value.split()[0] for value in nginx_directives("server") if ":" in value.split()[0]]
    headers = dict(value.split(None, 1) for value in nginx_directives("proxy_set_header"))

    assert servers[0] == bind
    # One trusted hop (TRUSTED_PROXY_COUNT=1): the last X-Forwarded-For entry is the address nginx saw.
    assert (headers["X-Forwarded-For"], headers["X-Forwarded-Proto"]) == ("$proxy_add_x_forwarded_for", "$scheme")


def test_nginx_caches_only_hashed_static_names_for_a_year():
    (pattern,) = re.findall(r'location ~ "([^"]+)"', NGINX.read_text(encoding="utf-8"))

    assert re.search(pattern, "/static/css/onex.4f3c2a1b9e0d.css")
    assert not re.search(pattern, "/static/css/onex.css")


@pytest.mark.skipif(not (shutil.which("nginx") and shutil.which("openssl")), reason="nginx is not installed")
def test_nginx_accepts_the_config(tmp_path):
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=onex"]
        + ["-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True,
        capture_output=True,
    )
    site = NGINX.read_text(encoding="utf-8")
    site = site.replace("/etc/ssl/onex/fullchain.pem", str(tmp_path / "cert.pem"))
    site = site.replace("/etc/ssl/onex/privkey.pem", str(tmp_path / "key.pem"))
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "onex.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{ include /etc/nginx/mime.types; include {tmp_path}/onex.conf; }}\n"
    )

    result = subprocess.run(["nginx", "-t", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True)

    assert result.returncode == 0, result.stderr


def unit(name: str) -> dict[str, str]:
    lines = (DEPLOY / "systemd" / name).read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


def test_systemd_units_run_the_deploy_config_and_a_valid_worker_command():
    web, worker = unit("onex-web.service"), unit("onex-worker@.service")
    web_args = shlex.split(web["ExecStart"])
    worker_args = shlex.split(worker["ExecStart"])
    command = load_command_class("django_tasks_db", worker_args[2])

    options = command.create_parser("manage.py", worker_args[2]).parse_args(worker_args[3:])

    assert web_args[1:] == ["-c", "deploy/gunicorn.conf.py"]
    assert (ROOT / web_args[2]).is_file()
    assert web["EnvironmentFile"] == worker["EnvironmentFile"]
    assert (options.queue_name, options.reload, "%H" in options.worker_id) == ("*", False, True)
