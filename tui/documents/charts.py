"""Figur 1-4 drawn as horizontal bar charts: PNG for Word, SVG for HTML.

matplotlib draws them, with the Agg backend and its own DejaVu Sans font
(shipped inside matplotlib, so æ, ø and å look the same on every machine),
through the object API: no pyplot, no global figure state, safe in a worker
thread. matplotlib is imported here only, when a document is made; its font
cache goes to caselog's cache folder (never the data folder), and its log
messages (such as "building the font cache") are kept off the terminal.

The chart has no title of its own: the document writes "Figur 1: ..." above
it, as text. Each bar carries its value (``29,6 %``, ``60``), so the chart
needs no axis.
"""

from __future__ import annotations

import io
import logging
import os
import re
import tempfile
import textwrap
from pathlib import Path

from .figures import Figure

WIDTH_IN = 6.3  # 16 cm: the text width of an A4 page with 2.5 cm margins
DARK = "#1f4e79"  # the report's period
LIGHT = ("#9dc3e6", "#c9ddf0", "#deebf7")  # earlier periods, the latest of them darkest
TEXT = "#222222"
MUTED = "#595959"
LABEL_CHARS = 34  # a bar's label is wrapped at this many characters

RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.fonttype": "path",  # the letters as shapes: the SVG needs no font
    "svg.hashsalt": "caselog",  # ids in the SVG the same from run to run
    "axes.edgecolor": "#bfbfbf",
    "text.color": TEXT,
    "path.simplify": True,
}


def cache_dir() -> Path:
    """Where matplotlib keeps its font cache: caselog's own cache folder."""
    from store.format.files import ensure_dir

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "caselog" / "matplotlib"
    try:
        ensure_dir(path)
        if os.access(path, os.W_OK):
            return path
    except OSError:
        pass
    return Path(tempfile.mkdtemp(prefix="caselog-matplotlib-"))


_mpl = None


def _matplotlib():
    """matplotlib, set up once: Agg, caselog's cache folder, no messages on the terminal."""
    global _mpl
    if _mpl is None:
        os.environ.setdefault("MPLCONFIGDIR", str(cache_dir()))
        logging.getLogger("matplotlib").setLevel(logging.ERROR)
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure as MplFigure

        _mpl = (matplotlib, MplFigure, FigureCanvasAgg)
    return _mpl


def colours(figure: Figure) -> list[str]:
    """One colour per series: the report's period dark, earlier ones lighter."""
    earlier = [s for s in figure.series if not s.current]
    light = list(reversed(LIGHT[: len(earlier)])) if len(earlier) <= len(LIGHT) else None
    out, i = [], 0
    for s in figure.series:
        if s.current:
            out.append(DARK)
        else:
            out.append(light[i] if light else LIGHT[-1])
            i += 1
    return out


def _draw(figure: Figure):
    matplotlib, MplFigure, FigureCanvasAgg = _matplotlib()
    n_series = max(1, len(figure.series))
    n = len(figure.labels)
    labels = [textwrap.fill(label, LABEL_CHARS, break_long_words=False) for label in figure.labels]
    lines = [label.count("\n") + 1 for label in labels]
    bar = {1: 0.18, 2: 0.13}.get(n_series, 0.11)  # inches per bar
    group = [max(bar * n_series, 0.16 * k) + 0.12 for k in lines]
    legend = 0.35 if n_series > 1 else 0.0
    height = max(1.0, sum(group) + 0.25 + legend) if n else 0.8
    fig = MplFigure(figsize=(WIDTH_IN, height), dpi=100)
    FigureCanvasAgg(fig)
    if not n:
        fig.text(0.5, 0.5, figure.empty, ha="center", va="center", color=MUTED, style="italic")
        return fig
    ax = fig.add_subplot()
    # the groups from the top, each as tall as its label needs
    centres, y = [], 0.0
    for g in group:
        centres.append(y + g / 2)
        y += g
    maximum = max((v for s in figure.series for v in s.values), default=0) or 1
    for i, (s, colour) in enumerate(zip(figure.series, colours(figure), strict=True)):
        offset = (i - (n_series - 1) / 2) * bar
        ys = [c + offset for c in centres]
        ax.barh(ys, s.values, height=bar * 0.92, color=colour, label=s.label, zorder=2)
        for yy, v in zip(ys, s.values, strict=True):
            ax.text(v + maximum * 0.01, yy, figure.text(v), va="center", ha="left",
                    fontsize=8 if n_series > 1 else 8.5, color=TEXT if s.current else MUTED)
    ax.set_yticks(centres, labels)
    ax.set_ylim(y, 0)  # the first row on top
    ax.set_xlim(0, maximum * 1.16)
    ax.tick_params(axis="y", length=0, pad=6, labelsize=9)
    ax.xaxis.set_visible(False)
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    if n_series > 1:
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=n_series, frameon=False,
                  fontsize=8.5, handlelength=1.2, borderaxespad=0.2, columnspacing=1.5)
    fig.set_layout_engine("constrained", h_pad=0.04, w_pad=0.04)
    return fig


def png(figure: Figure, dpi: int = 200) -> bytes:
    """The chart as a PNG for Word (200 dots per inch: sharp on paper)."""
    matplotlib = _matplotlib()[0]
    with matplotlib.rc_context(RC):
        fig = _draw(figure)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white",
                    metadata={"Software": None})
    # without the alpha channel: smaller, and one picture in a PDF, not a picture and a mask
    from PIL import Image

    buf.seek(0)
    out = io.BytesIO()
    Image.open(buf).convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


def svg(figure: Figure) -> str:
    """The chart as an SVG element to put inline in HTML (it scales to the page's width)."""
    matplotlib = _matplotlib()[0]
    with matplotlib.rc_context({**RC, "svg.hashsalt": f"caselog-{figure.key}"}):
        fig = _draw(figure)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", facecolor="white",
                    metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    text = buf.getvalue()
    text = text[text.index("<svg"):]  # no XML declaration or doctype inside HTML
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, count=1, flags=re.S)

    def scalable(m: re.Match) -> str:
        tag = re.sub(r'\s(width|height)="[^"]*"', "", m.group(0))
        return tag.replace("<svg", '<svg role="img" style="width:100%;height:auto"', 1)

    text = re.sub(r"<svg\b[^>]*>", scalable, text, count=1)
    # ids of this chart's own (glyphs, clip paths), so that four charts in one page share none
    prefix = f"{figure.key}-"
    text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', text)
    return re.sub(r'(href="#|url\(#)', lambda m: m.group(1) + prefix, text)
