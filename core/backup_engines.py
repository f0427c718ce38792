"""The database half of a backup: a dump and per-table row counts from one snapshot, and its restore.

PostgreSQL: a REPEATABLE READ transaction exports its snapshot; the row counts and the migration state are read
in that transaction and `pg_dump --snapshot` dumps the very same state while it stays open. SQLite: the backup
API copies the file consistently, and the counts are read from the copy.

Both restore into an empty database only: the dump brings the schema, the data, then the audit triggers, and
loading data fires no UPDATE, DELETE or TRUNCATE trigger, so the append-only audit rows load untouched.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

# The connection settings libpq understands (Django's OPTIONS may carry others, e.g. a pool).
LIBPQ_OPTIONS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "options", "application_name")


class EngineError(Exception):
    """The database cannot be dumped or restored; the message says why."""


def vendor(database: dict) -> str:
    engine = database["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise EngineError(f"Backups support PostgreSQL and SQLite, not {engine}.")


# PostgreSQL


def libpq_params(database: dict) -> dict[str, str]:
    params = {
        "dbname": database.get("NAME") or "",
        "user": database.get("USER") or "",
        "password": database.get("PASSWORD") or "",
        "host": database.get("HOST") or "",
        "port": str(database.get("PORT") or ""),
    }
    options = database.get("OPTIONS") or {}
    params |= {key: str(options[key]) for key in LIBPQ_OPTIONS if key in options}
    return {key: value for key, value in params.items() if value}


def _pg_env(database: dict) -> dict[str, str]:
    """The environment that points pg_dump / pg_restore at `database` (no password on the command line)."""
    names = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD", "host": "PGHOST", "port": "PGPORT"}
    names |= {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY"}
    names |= {"connect_timeout": "PGCONNECT_TIMEOUT", "options": "PGOPTIONS", "application_name": "PGAPPNAME"}
    return os.environ | {names[key]: value for key, value in libpq_params(database).items()}


def _pg_connect(database: dict) -> psycopg.Connection:
    try:
        return psycopg.connect(make_conninfo(**libpq_params(database)))
    except psycopg.OperationalError as exc:
        raise EngineError(f"Cannot connect to the database {database.get('NAME')!r}: {exc}") from exc


def _pg_tables(conn: psycopg.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname"
    ).fetchall()
    return [name for (name,) in rows]


def _pg_value(conn: psycopg.Connection, query: sql.Composed | str):
    """The value of a query that answers one row of one column (a count, a function's result)."""
    row = conn.execute(query).fetchone()
    assert row is not None, "an aggregate or a function call answers one row"
    return row[0]


def _pg_counts(conn: psycopg.Connection) -> dict[str, int]:
    query = sql.SQL("SELECT count(*) FROM {}")
    return {name: _pg_value(conn, query.format(sql.Identifier(name))) for name in _pg_tables(conn)}


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise EngineError(f"{command[0]} is not on PATH (install the PostgreSQL client tools).") from exc
    if result.returncode != 0:
        raise EngineError(f"{command[0]} failed (exit {result.returncode}): {result.stderr.strip()}")


def pg_dump(database: dict, out: Path) -> tuple[dict[str, int], dict[str, str]]:
    """Dump `database` to `out` (custom format); return its row counts and migration state, same snapshot."""
    with _pg_connect(database) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        snapshot = _pg_value(conn, "SELECT pg_export_snapshot()")
        counts = _pg_counts(conn)
        migrations = _latest_migrations(conn.execute, counts)
        # The transaction stays open until pg_dump is done: its snapshot lives only as long as it does.
        dump = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"]
        _run([*dump, f"--file={out}"], _pg_env(database))
        conn.rollback()
    return counts, migrations


def pg_tables_present(database: dict) -> list[str]:
    with _pg_connect(database) as conn:
        rows = conn.execute(
            "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')"
            " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"
            " ORDER BY 1"
        ).fetchall()
    return [name for (name,) in rows]


def pg_restore(database: dict, dump: Path) -> None:
    # One transaction: a restore that fails half-way leaves the target empty, not half-loaded.
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    env = _pg_env(database)
    _run([*command, f"--dbname={env['PGDATABASE']}", str(dump)], env)


def pg_counts(database: dict) -> dict[str, int]:
    with _pg_connect(database) as conn:
        return _pg_counts(conn)


# SQLite


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
    ).fetchall()
    return [name for (name,) in rows]


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in _sqlite_tables(conn)}  # noqa: S608 - names from sqlite_master


def sqlite_dump(source: sqlite3.Connection, out: Path) -> tuple[dict[str, int], dict[str, str]]:
    """Copy the open database `source` to `out` with the backup API; counts and migrations come from the copy."""
    copy = sqlite3.connect(out)
    try:
        source.backup(copy)
        counts = _sqlite_counts(copy)
        return counts, _latest_migrations(copy.execute, counts)
    finally:
        copy.close()


def _sqlite_open(database: dict, *, read_only: bool) -> sqlite3.Connection:
    name = str(database["NAME"])
    if name.startswith("file:"):  # a URI, e.g. Django's shared in-memory test database
        return sqlite3.connect(name, uri=True)
    return sqlite3.connect(f"file:{name}?mode=ro", uri=True) if read_only else sqlite3.connect(name)


def sqlite_tables_present(database: dict) -> list[str]:
    if not str(database["NAME"]).startswith("file:") and not Path(database["NAME"]).exists():
        return []
    conn = _sqlite_open(database, read_only=True)
    try:
        return [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
    finally:
        conn.close()


def sqlite_restore(database: dict, dump: Path) -> None:
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    target = _sqlite_open(database, read_only=False)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def sqlite_counts(database: dict) -> dict[str, int]:
    conn = _sqlite_open(database, read_only=True)
    try:
        return _sqlite_counts(conn)
    finally:
        conn.close()


# Either engine


def tables_present(database: dict) -> list[str]:
    """Every table (and view) of `database`, which a restore wants to be none."""
    return pg_tables_present(database) if vendor(database) == "postgresql" else sqlite_tables_present(database)


def restore(database: dict, dump: Path) -> None:
    (pg_restore if vendor(database) == "postgresql" else sqlite_restore)(database, dump)


def counts(database: dict) -> dict[str, int]:
    return pg_counts(database) if vendor(database) == "postgresql" else sqlite_counts(database)


def _latest_migrations(execute, counts: dict[str, int]) -> dict[str, str]:
    """The last applied migration of every app (by the order they were applied)."""
    if "django_migrations" not in counts:
        return {}
    rows = execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
    return {app: name for app, name in rows}
