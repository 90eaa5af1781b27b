"""Snapshots of the inquiry list and form at 80×24 and 160×50 (pytest-textual-snapshot).

Update after a deliberate change of the look with ``pytest tests/test_snapshots.py
--snapshot-update`` and look at the new SVGs before committing them.
"""

from __future__ import annotations

import pytest

from store.workspace.workspace import Workspace
from tui.app import CaselogApp

SIZES = [(80, 24), (160, 50)]


def app_for(folder) -> CaselogApp:
    return CaselogApp(Workspace.open(folder), screens={})


async def git_counted(pilot) -> None:
    """The list shows how many files are not in the history once git has counted them."""
    for _ in range(200):
        if pilot.app.uncommitted_count is not None:
            break
        await pilot.pause(0.02)
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x50"])
def test_list(snap_compare, app_folder, size):
    assert snap_compare(app_for(app_folder), terminal_size=size, run_before=git_counted)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x50"])
def test_list_all_periods_filtered(snap_compare, app_folder, size):
    assert snap_compare(app_for(app_folder), terminal_size=size, press=["asterisk", "b", "o", "r"],
                        run_before=git_counted)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x50"])
def test_form_edit(snap_compare, app_folder, size):
    assert snap_compare(app_for(app_folder), terminal_size=size, press=["down", "enter"])


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x50"])
def test_form_new_with_picker_open(snap_compare, app_folder, size):
    keys = ["n", "tab", "tab", "tab", "tab", "tab", "f", "o", "r", "v"]
    assert snap_compare(app_for(app_folder), terminal_size=size, press=["n"] + keys[1:] + [])


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x50"])
def test_form_errors(snap_compare, app_folder, size):
    keys = ["n", "ctrl+a", "ctrl+k", "3", "2", "/", "1", "3", "ctrl+s"]
    assert snap_compare(app_for(app_folder), terminal_size=size, press=keys)
