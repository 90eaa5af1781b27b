"""Any text in any text field of the inquiry form is saved and shown back exactly.

Control characters, escape sequences, markup, right-to-left text, emoji and a
100,000-character note go through the form into the file and back into the
form unchanged, and the list still draws (record text is never interpreted).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.workspace.workspace import Workspace
from tui.app import CaselogApp
from tui.screens.inquiry_form import InquiryForm
from tui.widgets.record_list import RecordList

pytestmark = pytest.mark.asyncio

RID = "2024-05-10-a1b2"  # the newest, selected when the list opens
FIELDS = ("#title", "#notes", "#citizen-name", "#citizen-phone")

NASTY = [
    "[bold]x[/bold] [link=https://example.org]klik[/link] [/]",
    "\x1b[31mrød\x1b[0m \x1b]8;;http://x\x07link\x1b]8;;\x07 \x07\x08\x7f",
    "ctrl \x00\x01\x02\x1f tab\there",
    "\u202eright-to-left override\u202c שלום עולם مرحبا",
    "emoji 👩‍👩‍👧 🇩🇰 ✅ e\u0301 \ufeff",
    'quotes " \' """ \'\'\' \\ \\n backslash',
    "lines\nwith\r\nwindows\rand old mac endings\n",
]


def file_data(folder: Path) -> dict:
    return tomllib.loads(next((folder / "inquiries").rglob(f"{RID}.toml")).read_text("utf-8"))


def _set(form: InquiryForm, selector: str, text: str) -> None:
    widget = form.query_one(selector)
    if selector == "#notes":
        widget.text = text
    else:
        widget.value = text


def _get(form: InquiryForm, selector: str) -> str:
    widget = form.query_one(selector)
    return widget.text if selector == "#notes" else widget.value


async def round_trip(folder: Path, values: dict[str, str]) -> None:
    app = CaselogApp(Workspace.open(folder), screens={})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InquiryForm) and form.record.id == RID
        for selector, text in values.items():
            _set(form, selector, text)
        await pilot.pause()
        # What the fields hold is what was typed: inputs keep every character;
        # the notes text area is a document of lines, which keeps one kind of
        # line ending (notes read from a file are saved back untouched: below).
        shown = {sel: _get(form, sel) for sel in values}
        for selector in values:  # nothing reaches the terminal as a control sequence
            widget = form.query_one(selector)
            drawn = "".join(seg.text for y in range(widget.size.height)
                            for seg in widget.render_line(y))
            assert not any(ch in drawn for ch in "\x1b\x07\x08\x9b"), selector
        for selector, text in values.items():
            if selector == "#notes":
                # every character but the line breaks, in order
                assert "".join(shown[selector].splitlines()) == "".join(text.splitlines())
            else:
                assert shown[selector] == text, selector
        await pilot.press("ctrl+s")
        for _ in range(100):  # the save runs in a worker
            await pilot.pause(0.02)
            if not isinstance(app.screen, InquiryForm):
                break
        assert not isinstance(app.screen, InquiryForm), "the form did not save"
        data = file_data(folder)
        expected = {"#title": data["title"], "#notes": data["notes"],
                    **{f"#citizen-{k}": data.get("citizen", {}).get(k, "")
                       for k in ("name", "phone", "email")}}
        for selector in values:
            assert expected[selector] == shown[selector], selector
        # shown back exactly in the form, and the list still draws its rows
        await pilot.press("enter")
        await pilot.pause()
        for selector in values:
            assert _get(app.screen, selector) == shown[selector], selector
        await pilot.press("escape")
        await pilot.pause()
        rows = app.screen.query_one(RecordList)
        lines = ["".join(s.text for s in rows.render_line(y)) for y in range(rows.size.height)]
        assert any(RID in line for line in lines)
        assert not any("\x1b" in line for line in lines)


@pytest.mark.parametrize("text", NASTY)
async def test_nasty_text_in_every_field_round_trips(app_folder: Path, text: str):
    # the e-mail field is checked for an @ and otherwise kept as typed too
    await round_trip(app_folder, {**{f: text for f in FIELDS}, "#citizen-email": f"a@b {text}"})


async def test_a_100000_character_note_round_trips(app_folder: Path):
    note = ("Lang note æøå 👍 [i]x[/i]\n" * 5000)[:100_000]
    assert len(note) == 100_000
    await round_trip(app_folder, {"#notes": note, "#title": "x" * 2000})


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80))
async def test_any_text_round_trips(app_folder: Path, text: str):
    await round_trip(app_folder, {"#title": text, "#notes": text, "#citizen-name": text})


async def test_notes_nobody_edited_are_saved_back_byte_for_byte(app_folder: Path):
    """Editing another field never rewrites the notes, whatever characters they hold."""
    path = next((app_folder / "inquiries").rglob(f"{RID}.toml"))
    odd = "windows\r\nline\u2028separator\x1erecord\x85next\rold mac\n"
    text = path.read_text("utf-8").replace('notes = ""', "notes = " + _toml_string(odd))
    path.write_text(text, "utf-8")
    app = CaselogApp(Workspace.open(app_folder), screens={})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#title").value = "Ny titel"
        await pilot.pause()
        await pilot.press("ctrl+s")
        for _ in range(100):
            await pilot.pause(0.02)
            if not isinstance(app.screen, InquiryForm):
                break
    data = file_data(app_folder)
    assert data["title"] == "Ny titel" and data["notes"] == odd


def _toml_string(s: str) -> str:
    import tomli_w

    return tomli_w.dumps({"x": s})[4:-1]
