"""Make docs/appendix.png, the README's picture of the generated appendix.

The demo folder's 2024/25 appendix as Word writes it, converted by
LibreOffice and drawn by pdftoppm, as a reader sees it:

    python docs/make_appendix_png.py [--pages 1,3] [--dpi 72] [-o docs/appendix.png]

Needs LibreOffice (``soffice``) and poppler-utils (``pdftoppm``), both
Debian packages; tests/test_documents_render.py makes the same pages.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pages", default="1,3", help="pages to show side by side (default: 1,3)")
    p.add_argument("--dpi", type=int, default=72)
    p.add_argument("-o", "--output", default=str(ROOT / "docs" / "appendix.png"))
    args = p.parse_args()
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not shutil.which("pdftoppm"):
        print("needs LibreOffice (soffice) and poppler-utils (pdftoppm)", file=sys.stderr)
        return 1
    from PIL import Image

    sys.path.insert(0, str(ROOT))
    from tui.cli import main as caselog

    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        assert caselog(["demo", str(t / "demo"), "--no-open"]) == 0
        docx = t / "bilag.docx"
        assert caselog(["report", str(t / "demo"), "--period", "2024/25", "--format", "docx",
                        "-o", str(docx)]) == 0
        subprocess.run([soffice, f"-env:UserInstallation=file://{t}/profile", "--headless",
                        "--convert-to", "pdf", "--outdir", str(t), str(docx)], check=True,
                       capture_output=True, timeout=300)
        pages = []
        for n in (int(x) for x in args.pages.split(",")):
            subprocess.run(["pdftoppm", "-png", "-r", str(args.dpi), "-f", str(n), "-l", str(n),
                            "-singlefile", str(t / "bilag.pdf"), str(t / f"page{n}")], check=True,
                           timeout=120)
            pages.append(Image.open(t / f"page{n}.png").convert("RGB"))
        gap = 16
        width = sum(im.width for im in pages) + gap * (len(pages) + 1)
        height = max(im.height for im in pages) + 2 * gap
        sheet = Image.new("RGB", (width, height), "#d0d4d9")
        x = gap
        for im in pages:
            sheet.paste(im, (x, gap))
            x += im.width + gap
        sheet = sheet.quantize(colors=96, method=Image.Quantize.MEDIANCUT)
        sheet.save(args.output, optimize=True)
    print(f"wrote {args.output} ({Path(args.output).stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
