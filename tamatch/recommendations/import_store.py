"""Uploaded files waiting for the person to confirm their import: kept server-side, per user.

The preview of an import and its confirmation are two requests; the file is not sent twice.
It waits in IMPORT_UPLOAD_FOLDER (default: the instance folder's "import-uploads", never the
static folder), one folder per user, under a random token of 32 URL-safe characters that is
checked against that pattern before any path is built (no path traversal), with the person's
choices (format, language, columns) beside it. A file is found only by the user who uploaded
it, lives IMPORT_UPLOAD_HOURS (default 2) after its last use, and a user keeps at most
IMPORT_UPLOADS_PER_USER (default 3) files: an older one makes way. Its size is bounded by
MAX_CONTENT_LENGTH, which the request already enforces. Several app servers need this folder
shared (as they need UPLOAD_FOLDER for evidence).
"""

import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


@dataclass
class PendingUpload:
    """A file waiting for its import, and what the person chose for it so far."""

    token: str
    name: str
    data: bytes
    fmt: str = "auto"
    language: str = ""
    mapping: dict[str, int] | None = None  # field -> column index; None: read from the headers
    mapping_fmt: str = ""  # the format the mapping was chosen for


def _root() -> Path:
    root = current_app.config.get("IMPORT_UPLOAD_FOLDER") or (
        Path(current_app.instance_path) / "import-uploads"
    )
    root = Path(root).resolve()
    static = current_app.static_folder
    if static and root.is_relative_to(Path(static).resolve()):
        raise RuntimeError("IMPORT_UPLOAD_FOLDER must not be inside the static folder")
    return root


def _folder(user_id: int) -> Path:
    folder = _root() / str(int(user_id))
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _max_age() -> float:
    return float(current_app.config.get("IMPORT_UPLOAD_HOURS", 2)) * 3600


def _paths(folder: Path, token: str) -> tuple[Path, Path] | None:
    if not _TOKEN.fullmatch(token or ""):
        return None
    return folder / f"{token}.data", folder / f"{token}.json"


def _sweep(folder: Path, keep: int) -> None:
    """Remove expired files, then the oldest beyond `keep`."""
    now = time.time()
    files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for index, meta in enumerate(files):
        if index >= keep or now - meta.stat().st_mtime > _max_age():
            meta.unlink(missing_ok=True)
            meta.with_suffix(".data").unlink(missing_ok=True)


def put(user_id: int, name: str, data: bytes, fmt: str = "auto", language: str = "") -> str:
    """Keep `data` for `user_id`; returns the token that finds it again."""
    folder = _folder(user_id)
    keep = int(current_app.config.get("IMPORT_UPLOADS_PER_USER", 3))
    for other in _root().iterdir():  # everyone's expired files go, not only this user's
        if other.is_dir() and other != folder:
            _sweep(other, keep)
    _sweep(folder, keep - 1)
    token = secrets.token_urlsafe(24)
    data_path, _meta_path = _paths(folder, token)  # type: ignore[misc]
    _write(data_path, data)
    upload = PendingUpload(token, name[:200], data, fmt, language)
    save_choices(user_id, upload)
    return token


def _write(path: Path, content: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)


def get(user_id: int, token: str) -> PendingUpload | None:
    """The user's pending file under `token`, or None (unknown, another's, or expired)."""
    folder = _folder(user_id)
    paths = _paths(folder, token)
    if paths is None or not paths[1].is_file() or not paths[0].is_file():
        return None
    data_path, meta_path = paths
    if time.time() - meta_path.stat().st_mtime > _max_age():
        discard(user_id, token)
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    mapping = meta.get("mapping")
    return PendingUpload(
        token=token,
        name=str(meta.get("name", "upload")),
        data=data_path.read_bytes(),
        fmt=str(meta.get("fmt", "auto")),
        language=str(meta.get("language", "")),
        mapping={str(k): int(v) for k, v in mapping.items()} if mapping else None,
        mapping_fmt=str(meta.get("mapping_fmt", "")),
    )


def save_choices(user_id: int, upload: PendingUpload) -> None:
    """Remember the format, language and columns chosen (and keep the file alive)."""
    paths = _paths(_folder(user_id), upload.token)
    if paths is None:
        return
    meta = {
        "name": upload.name,
        "fmt": upload.fmt,
        "language": upload.language,
        "mapping": upload.mapping,
        "mapping_fmt": upload.mapping_fmt,
    }
    _write(paths[1], json.dumps(meta).encode())
    os.utime(paths[0])


def discard(user_id: int, token: str) -> None:
    """Forget the file (after its import, or when the person cancels)."""
    paths = _paths(_folder(user_id), token)
    if paths is not None:
        for path in paths:
            path.unlink(missing_ok=True)
