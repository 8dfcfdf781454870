"""Evidence for progress reports: links, and uploaded files checked by content, stored renamed."""

import re
import secrets
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit
from xml.etree.ElementTree import ParseError

import sqlalchemy as sa
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring
from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from tamatch.audit import record
from tamatch.errors import DomainError, PermissionDenied
from tamatch.extensions import db
from tamatch.followup.permissions import can_edit_report
from tamatch.models import Evidence, ProgressReport, User
from tamatch.safe_zip import UnsafeArchive, check_archive


@dataclass(frozen=True, slots=True)
class FileType:
    """An accepted kind of file: the extension it is stored under, its MIME type, its aliases."""

    extension: str
    mimetype: str
    aliases: tuple[str, ...] = ()


PDF = FileType("pdf", "application/pdf")
PNG = FileType("png", "image/png")
JPEG = FileType("jpg", "image/jpeg", ("jpeg",))
GIF = FileType("gif", "image/gif")
WEBP = FileType("webp", "image/webp")
DOCX = FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
FILE_TYPES = (PDF, DOCX, XLSX, PNG, JPEG, GIF, WEBP)
ACCEPT = ",".join(
    [f".{e}" for t in FILE_TYPES for e in (t.extension, *t.aliases)]
    + [t.mimetype for t in FILE_TYPES]
)
_MAGIC = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
)
_OFFICE_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_STORED_NAME = re.compile(r"[0-9a-f]{32}\.(?:pdf|docx|xlsx|png|jpg|gif|webp)")
MAX_CONTENT_TYPES_XML = 1024 * 1024
_CHUNK = 64 * 1024
_NEW_FILES, _GONE_FILES = "evidence_new_files", "evidence_gone_files"


def max_bytes() -> int:
    return int(current_app.config.get("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))


def megabytes(size: int) -> str:
    return format_decimal(round(size / (1024 * 1024), 2))


def upload_folder() -> Path:
    """Where evidence files live (created on first use); never inside the static folder."""
    folder = Path(
        current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads"
    ).resolve()
    static = current_app.static_folder
    if static and folder.is_relative_to(Path(static).resolve()):
        raise RuntimeError("UPLOAD_FOLDER must not be inside the static folder")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def evidence_path(evidence: Evidence) -> Path | None:
    """The stored file of `evidence`, or None for a link, an odd name or a missing file."""
    name = evidence.stored_name
    if not name or not _STORED_NAME.fullmatch(name):
        return None
    path = upload_folder() / name
    return path if path.is_file() else None


def _check_editable(actor: User, report: ProgressReport) -> None:
    if not can_edit_report(actor, report):
        raise PermissionDenied(_("Evidence can be changed only on your side's draft report."))
    limit = int(current_app.config.get("EVIDENCE_MAX_ITEMS", 50))
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(Evidence).where(Evidence.report_id == report.id)
    )
    if count >= limit:
        raise DomainError(_("A report can have at most %(n)s pieces of evidence.", n=limit))


def add_link(actor: User, report: ProgressReport, url: str) -> Evidence:
    """Attach a web link (http or https, at most 1,000 characters) to a draft report.

    Raises PermissionDenied unless the actor may edit the report, DomainError for a bad link."""
    _check_editable(actor, report)
    url = (url or "").strip()
    if not _is_web_address(url):
        raise DomainError(
            _("Give a full web address starting with http:// or https://."), field="url"
        )
    evidence = Evidence(report_id=report.id, url=url, uploaded_by_id=actor.id)
    db.session.add(evidence)
    db.session.flush()
    record(actor, "evidence.add", evidence, after={"report_id": report.id, "url": url})
    return evidence


def _is_web_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # for example an unclosed IPv6 bracket
        return False
    return (
        len(url) <= 1000
        and parts.scheme.lower() in ("http", "https")
        and bool(host)
        and not any(c.isspace() or ord(c) < 32 for c in url)
    )


def add_file(actor: User, report: ProgressReport, upload: FileStorage) -> Evidence:
    """Store an uploaded file for a draft report, under a random name, if its content is an
    accepted type and it is within the size limit.

    Raises PermissionDenied unless the actor may edit the report, DomainError otherwise."""
    _check_editable(actor, report)
    folder = upload_folder()
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".incoming-", delete=False) as tmp:
        incoming = Path(tmp.name)
        try:
            size = _copy_bounded(upload.stream, tmp, max_bytes())
        except BaseException:
            incoming.unlink(missing_ok=True)
            raise
    try:
        if size == 0:
            raise DomainError(_("The file is empty."), field="file")
        kind = detect_type(incoming)
        stored_name = f"{secrets.token_hex(16)}.{kind.extension}"
        final = folder / stored_name
        incoming.replace(final)
    except BaseException:
        incoming.unlink(missing_ok=True)
        raise
    db.session.info.setdefault(_NEW_FILES, []).append(final)
    evidence = Evidence(
        report_id=report.id,
        filename=display_name(upload.filename, kind),
        stored_name=stored_name,
        content_type=kind.mimetype,
        size=size,
        uploaded_by_id=actor.id,
    )
    db.session.add(evidence)
    db.session.flush()
    record(
        actor,
        "evidence.add",
        evidence,
        after={"report_id": report.id, "content_type": kind.mimetype, "size": size},
    )
    return evidence


def remove_evidence(actor: User, evidence: Evidence) -> None:
    """Remove a link or file from a draft report; the file goes when the transaction commits.

    Raises PermissionDenied unless the actor may edit the report."""
    if not can_edit_report(actor, evidence.report):
        raise PermissionDenied(_("Evidence can be changed only on your side's draft report."))
    path = evidence_path(evidence)
    record(
        actor,
        "evidence.remove",
        evidence,
        before={"report_id": evidence.report_id, "url": evidence.url, "file": evidence.filename},
    )
    db.session.delete(evidence)
    db.session.flush()
    if path is not None:
        db.session.info.setdefault(_GONE_FILES, []).append(path)


def _copy_bounded(source: IO[bytes], target: IO[bytes], limit: int) -> int:
    """Copy at most limit + 1 bytes; DomainError as soon as the source proves larger."""
    size = 0
    while chunk := source.read(min(_CHUNK, limit + 1 - size)):
        size += len(chunk)
        if size > limit:
            raise DomainError(
                _("The file is larger than %(n)s MB.", n=megabytes(limit)), field="file"
            )
        target.write(chunk)
    return size


def _refuse_type() -> DomainError:
    return DomainError(
        _(
            "Only PDF, Word (DOCX), Excel (XLSX) and image files (PNG, JPEG, GIF, WebP) "
            "are accepted."
        ),
        field="file",
    )


def detect_type(path: Path) -> FileType:
    """The accepted type of the file's content (its name plays no part); DomainError if none."""
    with path.open("rb") as f:
        head = f.read(16)
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return _office_type(path)
    raise _refuse_type()


def _office_type(path: Path) -> FileType:
    """DOCX or XLSX from the package's declared main part, without extracting anything."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_archive(archive)
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > MAX_CONTENT_TYPES_XML:
                raise _refuse_type()
            with archive.open(info) as member:
                declared = member.read(MAX_CONTENT_TYPES_XML + 1)
    except (
        zipfile.BadZipFile,
        KeyError,
        OSError,
        EOFError,
        RuntimeError,
        ValueError,
        NotImplementedError,
    ) as exc:
        raise _refuse_type() from exc
    return _main_part_type(declared, {i.filename for i in infos})


def _check_archive(archive: zipfile.ZipFile) -> None:
    """The shared zip-bomb checks (tamatch.safe_zip), in this form's words; and no macros."""
    try:
        check_archive(archive)
    except UnsafeArchive as error:
        words = {
            "size": _("The file unpacks to more than 100 MB."),
            "encrypted": _("Encrypted files are not accepted."),
        }
        if error.kind in words:
            raise DomainError(words[error.kind], field="file") from error
        raise _refuse_type() from error
    if any(i.filename.lower().endswith("vbaproject.bin") for i in archive.infolist()):
        raise _refuse_macros()


def _refuse_macros() -> DomainError:
    return DomainError(_("Files with macros are not accepted."), field="file")


def _main_part_type(declared: bytes, names: set[str]) -> FileType:
    utf8 = declared.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")
    if not utf8 or b"<!DOCTYPE" in declared or b"<!ENTITY" in declared:
        raise _refuse_type()
    try:
        # defusedxml refuses DTDs and entity expansion outright; UTF-8 only, checked above.
        root = defused_fromstring(declared)
    except (ParseError, DefusedXmlException) as exc:
        raise _refuse_type() from exc
    found: set[FileType] = set()
    for element in root:
        content_type = element.get("ContentType", "")
        if "macroenabled" in content_type.lower() or "vbaproject" in content_type.lower():
            raise _refuse_macros()
        kind = _OFFICE_MAIN.get(content_type)
        if kind is not None and element.tag == f"{_CT_NS}Override":
            if element.get("PartName", "").lstrip("/") not in names:
                raise _refuse_type()
            found.add(kind)
    if len(found) != 1:
        raise _refuse_type()
    return found.pop()


def display_name(filename: str | None, kind: FileType) -> str:
    """The user's file name made safe, with an extension that matches its content."""
    safe = secure_filename(filename or "")
    stem, dot, extension = safe.rpartition(".")
    if not dot:
        known = {e for t in FILE_TYPES for e in (t.extension, *t.aliases)}
        stem, extension = ("" if safe.lower() in known else safe), ""
    if extension.lower() not in (kind.extension, *kind.aliases):
        extension = kind.extension
    return f"{(stem or 'evidence')[:200]}.{extension}"


@sa.event.listens_for(Session, "after_commit")
def _delete_removed_files(session: Session) -> None:
    """Files of removed evidence go once the removal is committed; new files are now kept."""
    session.info.pop(_NEW_FILES, None)
    for path in session.info.pop(_GONE_FILES, []):
        path.unlink(missing_ok=True)


@sa.event.listens_for(Session, "after_transaction_end")
def _drop_uncommitted_files(session: Session, transaction: sa.orm.SessionTransaction) -> None:
    """Files stored in a transaction that did not commit are deleted; removals are forgotten."""
    if transaction.parent is not None:
        return
    for path in session.info.pop(_NEW_FILES, []):
        path.unlink(missing_ok=True)
    session.info.pop(_GONE_FILES, None)


def change_evidence(
    actor: User,
    report: ProgressReport,
    *,
    url: str,
    file: FileStorage | None,
    adding: bool,
    remove_id: int | None,
) -> None:
    """The evidence part of saving a draft report (one form with its narrative): remove the
    evidence `remove_id` names, and attach the link and the file given. `adding` is the
    "Add evidence" button: it refuses an empty link and file; saving or submitting the report
    attaches whatever was given, so nothing typed or chosen is dropped."""
    if remove_id is not None:
        evidence = db.session.get(Evidence, remove_id)
        if evidence is None or evidence.report_id != report.id:
            raise DomainError(_("That evidence is no longer on this report."))
        remove_evidence(actor, evidence)
    if adding and not (url or file):
        raise DomainError(_("Choose a file or give a link."), field="url")
    if url:
        add_link(actor, report, url)
    if file:
        add_file(actor, report, file)
