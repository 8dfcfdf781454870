"""A report table as a Word document (python-docx), cells neutralised like the spreadsheets."""

import io
from typing import Any

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from flask import Response
from lxml import etree

from tamatch.exports import _disposition, cell_value

MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _text(value: Any) -> str:
    written = cell_value(value, "docx")
    return "" if written is None else str(written)


def docx_bytes(frame: pd.DataFrame, title: str, lines: list[str]) -> bytes:
    """A landscape document: a heading, a few lines of context, then the frame as a table
    whose header row repeats on every page."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    document.styles["Normal"].font.size = Pt(9)
    document.add_heading(_text(title), level=1)
    for line in lines:
        document.add_paragraph(_text(line))
    columns = [str(c) for c in frame.columns]
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(_repeat_header())
    for cell, name in zip(header.cells, columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(_text(name)).bold = True
    body = table._tbl
    for values in frame.itertuples(index=False, name=None):
        body.append(_row([_text(v) for v in values]))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _row(texts: list[str]):
    """A table row built as WordprocessingML directly: python-docx's add_row() walks the
    whole grid per cell, which makes a 600-row table take seconds."""
    tr = etree.Element(qn("w:tr"))
    for text in texts:
        paragraph = etree.SubElement(etree.SubElement(tr, qn("w:tc")), qn("w:p"))
        run = etree.SubElement(paragraph, qn("w:r"))
        for index, line in enumerate(text.split("\n")):
            if index:
                etree.SubElement(run, qn("w:br"))
            t = etree.SubElement(run, qn("w:t"))
            t.text = line
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return tr


def _repeat_header():
    from docx.oxml import OxmlElement

    element = OxmlElement("w:tblHeader")
    element.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val", "true")
    return element


def docx_response(frame: pd.DataFrame, basename: str, title: str, lines: list[str]) -> Response:
    response = Response(docx_bytes(frame, title, lines), mimetype=MIMETYPE)
    response.headers.set("Content-Disposition", "attachment", **_disposition(f"{basename}.docx"))
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
