"""The appendix as one self-contained HTML page: tables, inline SVG charts, print styles.

Nothing is fetched: the styles are in the page and the charts are SVG
elements whose letters are drawn as shapes. Printed (or saved as PDF from a
browser) it gives A4 pages, Bilag 2 on a page of its own, no table or figure
cut in two where it fits a page.
"""

from __future__ import annotations

from html import escape

from .. import tables as tm
from . import charts
from .content import Document
from .figures import Figure

CSS = """
:root { --dark: #1f4e79; --rule: #808080; --hair: #d9d9d9; --head: #deeaf6; }
body { font-family: Arial, "Liberation Sans", Helvetica, sans-serif; font-size: 10pt;
       color: #222; max-width: 17cm; margin: 1.5cm auto; padding: 0 0.5cm; line-height: 1.35; }
h1 { font-size: 18pt; color: var(--dark); margin: 0 0 0.3em; }
h2 { font-size: 14pt; color: var(--dark); margin: 1.6em 0 0.4em; }
p { margin: 0 0 0.4em; }
table { border-collapse: collapse; width: 100%; margin: 0.2em 0 0.3em;
        border-top: 1px solid var(--rule); border-bottom: 1px solid var(--rule); }
caption, figcaption { caption-side: top; text-align: left; font-weight: bold;
        color: var(--dark); font-size: 10.5pt; margin: 1.1em 0 0.3em; }
th, td { padding: 0.12em 0.45em; border-bottom: 1px solid var(--hair); vertical-align: bottom; }
th { background: var(--head); border-bottom: 1px solid var(--rule); font-weight: bold; }
th:first-child, td:first-child { text-align: left; }
table:not(.wide) th:first-child { width: 40%; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
tr.theme td, tr.total td { font-weight: bold; }
tr.total td { border-top: 1px solid var(--rule); }
tr.previous td { font-style: italic; color: #595959; }
td.sub { padding-left: 1.4em; }
table.wide { font-size: 8.5pt; }
.note { font-style: italic; font-size: 8.5pt; margin: 0.2em 0 0.3em; }
figure { margin: 0 0 0.8em; }
figure svg { display: block; max-width: 100%; }
@page { size: A4; margin: 2cm 2.5cm; }
@media print {
  body { margin: 0; padding: 0; max-width: none; }
  .new-page { break-before: page; }
  table, figure { break-inside: avoid; }
  caption, figcaption, h2 { break-after: avoid; }
  thead { display: table-header-group; }
}
""".strip()


def table_html(model: tm.TableModel) -> str:
    wide = " class=\"wide\"" if len(model.columns) > 7 else ""
    out = [f"<table{wide}>", f"<caption>{escape(model.title)}</caption>", "<thead><tr>"]
    for i, c in enumerate(model.columns):
        cls = ' class="num"' if i else ""
        out.append(f'<th{cls} scope="col">{escape(str(c))}</th>')
    out.append("</tr></thead>")
    out.append("<tbody>")
    for row in model.rows:
        style = f" class=\"{row.style}\"" if row.style in ("theme", "total", "previous") else ""
        cells = []
        for i, value in enumerate(row.cells):
            text = str(value)
            if i == 0:
                cls = " class=\"sub\"" if row.style == "sub" else ""
                cells.append(f"<td{cls}>{escape(text.strip())}</td>")
            else:
                cells.append(f"<td class=\"num\">{escape(text)}</td>")
        out.append(f"<tr{style}>{''.join(cells)}</tr>")
    out.append("</tbody></table>")
    out += [f"<p class=\"note\">{escape(n)}</p>" for n in model.notes]
    return "\n".join(out)


def figure_html(figure: Figure) -> str:
    return (f"<figure id=\"{figure.key}\">\n<figcaption>{escape(figure.title)}</figcaption>\n"
            f"{charts.svg(figure)}\n</figure>")


def render(document: Document) -> bytes:
    """The .html file's bytes (UTF-8)."""
    out = [
        "<!DOCTYPE html>",
        f"<html lang=\"{escape(document.language)}\">",
        "<head>",
        "<meta charset=\"utf-8\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        "<meta name=\"generator\" content=\"caselog\">",
        f"<title>{escape(document.title)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(document.title)}</h1>",
        f"<p>{escape(document.period)}</p>",
    ]
    out += [f"<p>{escape(line)}</p>" for line in document.headline]
    for section in document.sections:
        cls = " class=\"new-page\"" if section.new_page else ""
        out.append(f"<section{cls}>")
        out.append(f"<h2>{escape(section.title)}</h2>")
        out += [f"<p>{escape(line)}</p>" for line in section.intro]
        for block in section.blocks:
            out.append(table_html(block) if isinstance(block, tm.TableModel)
                       else figure_html(block))
        out.append("</section>")
    out += [f"<p class=\"note\">{escape(n)}</p>" for n in document.notes]
    out += ["</body>", "</html>", ""]
    return "\n".join(out).encode("utf-8")
