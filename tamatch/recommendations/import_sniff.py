"""What a file is before it is read as a table (by its bytes), and cells with encoding damage."""

import io
import re
import zipfile

from flask_babel import gettext as _

# Kinds of file that are not a table the importer reads, told by their first bytes or, for a
# ZIP, by the parts it holds (a .docx renamed .xlsx is still a Word document).
WORD, PDF, IMAGE, XLS, ODS, ODT, SLIDES, RTF, HTML, ZIP, BINARY = (
    "word", "pdf", "image", "xls", "ods", "odt", "slides", "rtf", "html", "zip", "binary",
)  # fmt: skip

_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, Excel 97-2003, PowerPoint 97-2003


def document_kind(data: bytes) -> str | None:
    """The kind of a file that is not a CSV or XLSX table, or None when it may be one."""
    head = data[:8192]
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].lower()
    if head.startswith(_OLE2):
        return _ole2_kind(data)
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    signs = (
        (PDF, head.startswith(b"%PDF")),
        (IMAGE, head.startswith(_IMAGES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")),
        (RTF, start.startswith(b"{\\rtf")),
        (HTML, start.startswith((b"<!doctype html", b"<html"))),
        # A text table has no NUL bytes, unless it is UTF-16 (which starts with its BOM).
        (BINARY, b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))),
    )
    return next((kind for kind, found in signs if found), None)


def _ole2_kind(data: bytes) -> str:
    """Word or Excel 97-2003: the name of the main stream is in the directory, in UTF-16."""
    if "WordDocument".encode("utf-16-le") in data:
        return WORD
    if "PowerPoint Document".encode("utf-16-le") in data:
        return SLIDES
    return XLS


def _zip_kind(data: bytes) -> str | None:
    """None for an XLSX workbook; else what the parts of the archive show it to be."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None  # a damaged archive: the reader says it cannot be read
    signs = (
        (None, any(n.startswith("xl/") for n in names)),
        (WORD, "word/document.xml" in names),
        (SLIDES, any(n.startswith("ppt/") for n in names)),
        (ODS, b"opendocument.spreadsheet" in mimetype),
        (ODT, b"opendocument.text" in mimetype),
    )
    return next((kind for kind, found in signs if found), ZIP)


def document_message(kind: str) -> str:
    """What to tell the person who uploaded a file of this kind (in their language)."""
    messages = {
        WORD: _("This is a Word document: save the table as CSV or XLSX and upload that."),
        ODT: _("This is a text document (OpenDocument): save the table as CSV or XLSX and "
               "upload that."),
        PDF: _("This is a PDF document: copy its table into a spreadsheet, save it as CSV or "
               "XLSX and upload that."),
        IMAGE: _("This is an image, not a table: upload the table itself, as CSV or XLSX."),
        XLS: _("This is an Excel 97-2003 workbook (.xls): save it as XLSX or CSV and upload "
               "that."),
        ODS: _("This is an OpenDocument spreadsheet (.ods): save it as XLSX or CSV and upload "
               "that."),
        SLIDES: _("This is a presentation: save its table as CSV or XLSX and upload that."),
        RTF: _("This is a rich-text document: save the table as CSV or XLSX and upload that."),
        HTML: _("This is a web page: save the table as CSV or XLSX and upload that."),
        ZIP: _("This is a ZIP archive, not a workbook: unpack it and upload the CSV or XLSX "
               "file it holds."),
    }  # fmt: skip
    return messages.get(
        kind, _("This file is not a table: save the table as CSV or XLSX and upload that.")
    )


# UTF-8 bytes read as Windows-1252 or Latin-1: "Ã©" for "é", "â€™" for a right quote, "Â " for a
# no-break space. The second character is one a UTF-8 continuation byte becomes.
_UTF8_READ_AS_LEGACY = re.compile(
    "[\u00c2\u00c3\u00c5][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
    "|\u00e2\u20ac"
)
# A capital accented letter inside a lower-case word ("SolicitorÍs", "cafÈ"): one legacy
# code page read as another (Mac Roman and Windows-1252 put letters where the other has
# quotes). The replacement character and C1 controls are damage whatever the cause.
_CAPITAL_INSIDE_WORD = re.compile(r"(?<=[a-z])[\u00c0-\u00de](?=[a-z]|\b)")
_LOST = re.compile("[\ufffd\u0080-\u009f]")


def encoding_damage(text: str) -> str | None:
    """The first stretch of `text` that looks like encoding damage, or None."""
    for pattern in (_UTF8_READ_AS_LEGACY, _LOST, _CAPITAL_INSIDE_WORD):
        found = pattern.search(text)
        if found:
            return _words_around(text, found.start(), found.end())
    return None


def _words_around(text: str, start: int, end: int, reach: int = 16) -> str:
    """The whole words within `reach` characters of text[start:end]."""
    left = text.rfind(" ", 0, max(start - reach, 0) + 1) if start > reach else -1
    right = text.find(" ", min(end + reach, len(text)))
    return text[left + 1 : right if right != -1 else len(text)].strip()


def repaired(text: str) -> str | None:
    """The text a UTF-8 file read as Windows-1252 held, when undoing that is exact (the bytes
    re-encode and decode without loss); None otherwise. Shown as a suggestion, never stored."""
    if not _UTF8_READ_AS_LEGACY.search(text):
        return None
    try:
        fixed = text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return None
    return fixed if fixed.encode("utf-8").decode("cp1252") == text else None
