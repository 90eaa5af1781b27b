"""The appendix as a Word document (python-docx): real tables, the charts as pictures.

A4, Arial (LibreOffice draws it with the metric-equal Liberation Sans), a
page number in the footer. Every table has a header row that repeats on a
new page, numbers right-aligned, theme rows and the ``I alt`` row in bold,
subthemes indented, rules above and below instead of a grid. The column
widths are fixed from the longest word of each column (measured in Arial
Bold's own widths, ``metrics.py``), so that Word and LibreOffice lay the
tables out alike and no header breaks inside a word.
"""

from __future__ import annotations

import io
from datetime import datetime

from .. import tables as tm
from ..i18n import t
from . import charts
from .content import Document
from .figures import Figure
from .metrics import text_width

PAGE_W, PAGE_H, MARGIN = 21.0, 29.7, 2.5  # cm
TEXT_W = PAGE_W - 2 * MARGIN
FONT = "Arial"
DARK = "1F4E79"
RULE = "808080"
HAIR = "D9D9D9"
HEADER_FILL = "DEEAF6"
CELL_MARGIN = 0.12  # cm left and right of a cell's text (Word's own is 0.19)


def column_widths(model: tm.TableModel, size_pt: float) -> list[float]:
    """Widths in cm: each number column as wide as its longest word or value, the first
    column the rest of the text width."""
    pad = 2 * CELL_MARGIN + 0.15  # the cell's left and right margins, and a little air
    n = len(model.columns)
    widths = [0.0] * n
    for i in range(1, n):
        header = str(model.columns[i])
        # a short header ("I alt") on one line; a longer one may wrap between its words
        words = [header] if len(header) <= 8 else header.split() or [""]
        values = [str(r.cells[i]) for r in model.rows if i < len(r.cells)]
        widths[i] = max(text_width(w, size_pt) for w in words + values) + pad
    rest = TEXT_W - sum(widths[1:])
    first_min = 4.0
    if rest < first_min:  # many columns (unknown departments): narrow them all alike
        scale = (TEXT_W - first_min) / sum(widths[1:])
        widths = [w * scale for w in widths]
        rest = first_min
    widths[0] = rest
    return widths


def _border(tag: str, kind: str, size: int, colour: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement(f"w:{tag}")
    el.set(qn("w:val"), kind)
    if kind != "nil":
        el.set(qn("w:sz"), str(size))
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), colour)
    return el


def _table_borders(table) -> None:
    """Rules above, below and between the rows, none down; narrow cell margins."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for tag, kind, size, colour in (("top", "single", 8, RULE), ("left", "nil", 0, ""),
                                    ("bottom", "single", 8, RULE), ("right", "nil", 0, ""),
                                    ("insideH", "single", 4, HAIR), ("insideV", "nil", 0, "")):
        borders.append(_border(tag, kind, size, colour))
    # in the order of the schema (Word repairs a file whose elements are out of order)
    pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                             "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(CELL_MARGIN / 2.54 * 1440)))  # twentieths of a point
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription",
                             "w:tblPrChange")


_AFTER_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
              "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange")


def _cell_style(cell, *, fill: str | None = None, top: bool = False, bottom: bool = False) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    pr = cell._tc.get_or_add_tcPr()
    if top or bottom:
        borders = OxmlElement("w:tcBorders")
        if top:
            borders.append(_border("top", "single", 8, RULE))
        if bottom:
            borders.append(_border("bottom", "single", 8, RULE))
        pr.insert_element_before(borders, "w:shd", *_AFTER_SHD)
    if fill:
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), fill)
        pr.insert_element_before(shd, *_AFTER_SHD)


def _row_flags(row, *, header: bool = False) -> None:
    """A row never breaks across pages; the header row repeats on each page."""
    from docx.oxml import OxmlElement

    pr = row._tr.get_or_add_trPr()
    pr.append(OxmlElement("w:cantSplit"))
    if header:
        pr.append(OxmlElement("w:tblHeader"))


def _set_cell(cell, text: str, *, size: float, bold=False, italic=False, right=False,
              indent_cm=0.0, colour: str | None = None, keep=False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    p = cell.paragraphs[0]
    f = p.paragraph_format
    f.space_before = Pt(1)
    f.space_after = Pt(1)
    f.keep_with_next = keep
    if right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if indent_cm:
        f.left_indent = Cm(indent_cm)
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)


def _caption(doc, text: str) -> None:
    from docx.shared import Pt, RGBColor

    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(12)
    p.paragraph_format.space_after = Pt(4)
    p.paragraph_format.keep_with_next = True
    run = p.add_run(text)
    run.bold = True
    run.font.size = Pt(10.5)
    run.font.color.rgb = RGBColor.from_string(DARK)


def _note(doc, text: str) -> None:
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(3)
    p.paragraph_format.space_after = Pt(2)
    run = p.add_run(text)
    run.italic = True
    run.font.size = Pt(8.5)


def add_table(doc, model: tm.TableModel) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.shared import Cm

    size = 8.0 if len(model.columns) > 7 else 9.0
    _caption(doc, model.title)
    widths = column_widths(model, size)
    table = doc.add_table(rows=1 + len(model.rows), cols=len(model.columns))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _table_borders(table)
    for i, w in enumerate(widths):
        table.columns[i].width = Cm(w)
    keep = len(model.rows) < 40  # a table that fits a page is kept on one page
    header = table.rows[0]
    _row_flags(header, header=True)
    for i, (cell, text) in enumerate(zip(header.cells, model.columns, strict=True)):
        cell.width = Cm(widths[i])
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        _cell_style(cell, fill=HEADER_FILL, bottom=True)
        _set_cell(cell, str(text), size=size, bold=True, right=i > 0, keep=True)
    for n, (row, data) in enumerate(zip(table.rows[1:], model.rows, strict=True), start=1):
        _row_flags(row)
        last = n == len(model.rows)
        bold = data.style in ("theme", "total")
        for i, (cell, value) in enumerate(zip(row.cells, data.cells, strict=True)):
            cell.width = Cm(widths[i])
            if data.style == "total":
                _cell_style(cell, top=True)
            text = str(value)
            indent = 0.0
            if i == 0 and data.style == "sub":
                text, indent = text.strip(), 0.35
            _set_cell(cell, text, size=size, bold=bold, right=i > 0, indent_cm=indent,
                      italic=data.style == "previous",
                      colour="595959" if data.style == "previous" else None,
                      keep=keep and not last)
    for note in model.notes:
        _note(doc, note)


def add_figure(doc, figure: Figure) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    _caption(doc, figure.title)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    p.paragraph_format.space_after = Pt(6)
    p.add_run().add_picture(io.BytesIO(charts.png(figure)), width=Cm(TEXT_W))


def _page_number(section) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = p.add_run(t("document.page") + " ")
    run.font.size = Pt(8.5)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    inner = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "17")  # half-points: 8.5 pt, as the word before it
    props.append(size)
    inner.append(props)
    text = OxmlElement("w:t")
    text.text = "1"
    inner.append(text)
    field.append(inner)
    p._p.append(field)


def _font(style, size: float) -> None:
    """The style in Arial at ``size``: theme fonts taken away, which would win otherwise."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style.font.name = FONT
    style.font.size = Pt(size)
    fonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)


def render(document: Document) -> bytes:
    """The .docx file's bytes."""
    import docx
    from docx.shared import Cm, Pt, RGBColor

    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(PAGE_W), Cm(PAGE_H)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN))
    styles = doc.styles
    _font(styles["Normal"], 10)
    styles["Normal"].paragraph_format.space_after = Pt(4)
    for name, size in (("Title", 18), ("Heading 1", 14)):
        style = styles[name]
        _font(style, size)
        style.font.bold = True
        style.font.color.rgb = RGBColor.from_string(DARK)

    props = doc.core_properties
    props.title = document.title
    props.author = "caselog"
    props.last_modified_by = "caselog"
    props.comments = ""
    props.keywords = ""
    props.language = document.language
    now = datetime.now().replace(microsecond=0)
    props.created = props.modified = now
    props.revision = 1

    title = doc.add_paragraph(document.title, style="Title")
    title.paragraph_format.space_after = Pt(4)
    doc.add_paragraph(document.period)
    for line in document.headline:
        doc.add_paragraph(line)
    for part in document.sections:
        heading = doc.add_paragraph(part.title, style="Heading 1")
        heading.paragraph_format.page_break_before = part.new_page
        heading.paragraph_format.space_before = Pt(18 if not part.new_page else 0)
        heading.paragraph_format.keep_with_next = True
        for line in part.intro:
            doc.add_paragraph(line)
        for block in part.blocks:
            if isinstance(block, tm.TableModel):
                add_table(doc, block)
            else:
                add_figure(doc, block)
    for note in document.notes:
        _note(doc, note)
    _page_number(section)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
