"""Tabular downloads (CSV, XLSX) of a pandas frame, with formula-leading cells neutralised."""

import io
import re
import unicodedata
from datetime import date, datetime, time
from numbers import Number
from typing import Any
from urllib.parse import quote

import pandas as pd
from flask import Response
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from werkzeug.exceptions import NotFound

# OWASP "CSV injection": a spreadsheet reads a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")  # CR is LF in XLSX
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_COLUMN_WIDTH = 60
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_UNSAFE_FILENAME = re.compile(r"[\x00-\x1f\x7f/\\\"]")


# What a spreadsheet may skip or drop before it reads the first character: whitespace and the
# control characters (openpyxl strips most of these, so "\x01=cmd()" would become "=cmd()").
_LEADING_IGNORED = "".join(chr(c) for c in range(33)) + "\x7f"


def neutralise(value: Any) -> Any:
    """A string a spreadsheet would run as a formula, made inert with a leading apostrophe.

    Leading whitespace and control characters are looked through (a writer or a reader may
    drop them: a control character, then "=", is caught too). Call it last, on the text as it
    is written (see `cell_value`).

    >>> neutralise("=SUM(A1:A9)")
    "'=SUM(A1:A9)"
    >>> neutralise("Rule of law"), neutralise(-5)
    ('Rule of law', -5)
    """
    if isinstance(value, str) and (
        value.startswith(FORMULA_PREFIXES)
        or value.lstrip(_LEADING_IGNORED).startswith(FORMULA_PREFIXES)
    ):
        return "'" + value
    return value


def cell_value(value: Any, fmt: str) -> Any:
    """`value` as it goes into a cell of `fmt` ("csv", "xlsx" or "docx"): the one place cells
    are written. Every transformation first (text for objects; for XML formats, line ends and
    the control characters XML cannot hold), then `neutralise`, so none can undo it."""
    if value is None or (not isinstance(value, str | list | dict) and pd.isna(value)):
        return None
    if isinstance(value, Number | date | datetime | time):
        return value
    text = value if isinstance(value, str) else str(value)
    if fmt != "csv":
        # Line ends as XML readers see them (CR and CRLF become LF), whichever XML library
        # openpyxl writes with (lxml, once installed, would keep a bare CR as &#13;).
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = ILLEGAL_CHARACTERS_RE.sub("", text)  # openpyxl refuses control characters
    return neutralise(text)


def cells(frame: pd.DataFrame, fmt: str) -> pd.DataFrame:
    """A copy of `frame` with every cell and header passed through `cell_value`."""
    out = frame.copy()
    for column in out.columns:
        values = [cell_value(value, fmt) for value in out[column]]
        out[column] = pd.Series(values, index=out.index, dtype=object)
    out.columns = [cell_value(str(column), fmt) for column in out.columns]
    return out


def _check_format(fmt: str) -> None:
    if fmt not in MIMETYPES:
        raise NotFound()


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    # The byte-order mark makes Excel read the file as UTF-8 (accents, Arabic, Cyrillic).
    text = cells(frame, "csv").to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def _sheet_title(name: str) -> str:
    title = _SHEET_FORBIDDEN.sub(" ", name).strip("' ")[:31]
    return title or "Export"


def _xlsx_bytes(frame: pd.DataFrame, sheet: str) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = _sheet_title(sheet)
    frame = cells(frame, "xlsx")
    headers = [str(column) for column in frame.columns]
    worksheet.append(headers)
    for row in frame.itertuples(index=False, name=None):
        worksheet.append(list(row))
    bold = Font(bold=True)
    for cell in worksheet[1]:
        cell.font = bold
    for index, header in enumerate(headers, start=1):
        lengths = [len(str(v)) for v in frame.iloc[:, index - 1] if v is not None]
        width = max([len(header), *lengths]) + 2
        worksheet.column_dimensions[get_column_letter(index)].width = min(width, MAX_COLUMN_WIDTH)
    worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def dataframe_bytes(frame: pd.DataFrame, fmt: str, sheet: str = "Export") -> tuple[bytes, str]:
    """The frame as a file in `fmt` ("csv" or "xlsx") and its mimetype; NotFound otherwise.

    Every cell is written through `cell_value`, neutralised last, in both formats: in XLSX a leading
    "=" would be a live formula.
    """
    _check_format(fmt)
    if fmt == "csv":
        return _csv_bytes(frame), MIMETYPES[fmt]
    return _xlsx_bytes(frame, sheet), MIMETYPES[fmt]


def _disposition(filename: str) -> dict[str, str]:
    """Content-Disposition options: an ASCII name, plus the UTF-8 one when they differ."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    if ascii_name == filename:
        return {"filename": filename}
    return {"filename": ascii_name, "filename*": f"UTF-8''{quote(filename, safe='')}"}


def export_response(frame: pd.DataFrame, basename: str, fmt: str) -> Response:
    """A download of `frame` named `basename.fmt`, never cached; NotFound for an unknown fmt."""
    data, mimetype = dataframe_bytes(frame, fmt, sheet=basename)
    stem = _UNSAFE_FILENAME.sub("", basename).strip(". ") or "export"
    response = Response(data, mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", **_disposition(f"{stem}.{fmt}"))
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
