"""Backups: a consistent copy of the database to one file, and its restore.

SQLite uses the online backup API (safe while the app runs). PostgreSQL uses pg_dump's custom
format and pg_restore (the client tools must be installed; the URL's credentials are passed
through the environment, never on the command line).
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    """The backup or restore could not be made; the message says why."""


def _sqlite_path(url) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _pg_env(url) -> tuple[list[str], dict[str, str]]:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    args = ["--host", url.host or "localhost", "--port", str(url.port or 5432)]
    if url.username:
        args += ["--username", url.username]
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (PostgreSQL client tools)")
    return path


def backup(database_url: str, target: Path) -> Path:
    """Write a backup of the database at `database_url` to `target`; returns `target`."""
    url = make_url(database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return target
    if url.get_backend_name() == "postgresql":
        args, env = _pg_env(url)
        command = [
            _tool("pg_dump"),
            *args,
            "--format=custom",
            "--no-owner",
            "--file",
            str(target),
            url.database,
        ]
        _run(command, env)
        return target
    raise BackupError(f"no backup method for {url.get_backend_name()}")


def restore(database_url: str, source: Path) -> None:
    """Replace the database at `database_url` with the backup in `source`."""
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        backup_db = sqlite3.connect(source)
        target = sqlite3.connect(_sqlite_path(url))
        try:
            backup_db.backup(target)
        finally:
            target.close()
            backup_db.close()
        return
    if url.get_backend_name() == "postgresql":
        args, env = _pg_env(url)
        command = [
            _tool("pg_restore"),
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            url.database,
            str(source),
        ]
        _run(command, env)
        return
    raise BackupError(f"no restore method for {url.get_backend_name()}")


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["failed"])[-1]
        raise BackupError(f"{Path(command[0]).name}: {last}")
