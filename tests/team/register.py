"""An advisor at the phone: the real app, driven by its keys, registers one inquiry.

    python tests/team/register.py FOLDER TITLE

Opens FOLDER as `caselog FOLDER` does (headless), presses n, fills in the
form (date, title, department, theme, subtheme typed by a few letters),
saves with ctrl+s and quits with ctrl+q (which waits for the commit). Prints
the new record's id.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path


async def main(folder: Path, title: str) -> str:
    from tui.app import CaselogApp
    from tui.screens.inquiries import InquiriesScreen
    from tui.screens.inquiry_form import InquiryForm

    before = {p.stem for p in folder.glob("inquiries/**/*.toml")}
    app = CaselogApp(None, screens={}, folder=folder)
    async with app.run_test(size=(100, 30)) as pilot:
        # the list on screen and ready for keys (after a first start its screen is
        # shown a moment before it has focus)
        while not isinstance(app.screen, InquiriesScreen) or app.focused is None:
            await pilot.pause(0.05)
        await pilot.press("n")
        while not isinstance(app.screen, InquiryForm):
            await pilot.pause(0.05)
        await pilot.press("ctrl+a", "ctrl+k", *"3/6/2024")
        await pilot.press("tab", "tab", "tab", "tab")  # kind, channel, status: the title
        await pilot.press(*[c if c != " " else "space" for c in title])
        await pilot.press("tab", "tab")  # notes: the main issue's department
        await pilot.press(*"børn", "tab", *"forvaltningss", "tab", *"sagsb", "tab")
        await pilot.press("ctrl+s")
        while isinstance(app.screen, InquiryForm):
            await pilot.pause(0.05)
        await pilot.press("ctrl+q")
    new = {p.stem for p in folder.glob("inquiries/**/*.toml")} - before
    if len(new) != 1:
        raise SystemExit(f"expected one new inquiry, found {sorted(new)}")
    return new.pop()


if __name__ == "__main__":
    # (a form that does not save, keys lost, would wait for ever: two minutes at most)
    print(asyncio.run(asyncio.wait_for(main(Path(sys.argv[1]), sys.argv[2]), 120)))
