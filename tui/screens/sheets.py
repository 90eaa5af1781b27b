"""The spreadsheet screen: import from a spreadsheet with a dry run first, export the records.

Import does what ``caselog import`` does, through its own functions, so the
app and the command say the same: type the path of an .xlsx or .csv file
(→ completes it), optionally a sheet, Enter; the screen shows the dry run
(counts, a sample without personal data, the values read loosely or not at
all, the unusable rows with their numbers and why, the report's tables) and,
with ``m``, the mapping as ``--show-mapping`` writes it. ``l`` loads a
mapping file instead of the recognised headers, ``w`` saves the one shown to
correct it. Nothing is written before ``ctrl+s`` and a yes; then the files
are written and committed by the command's apply functions, and the
workspace reads each new file (``reload_path``), so the list and the
summary follow through the workspace's listeners.

Export (``e``) writes the records of all periods or of the list's period as
csv, xlsx, md or text, chosen by the file name, through the functions of
``caselog export``; personal data only when the box is ticked.
"""

from __future__ import annotations

import asyncio
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.screen import ModalScreen, Screen
from textual.suggester import Suggester
from textual.widgets import Checkbox, Footer, Input, RadioButton, RadioSet, Static

from store.domain import clock
from store.domain.periods import Period
from store.format.files import atomic_write
from store.sheets.build import Plan

from ..errors import CommandError
from ..i18n import t
from ..keys import translate_bindings

SPREADSHEETS = (".xlsx", ".xlsm", ".csv", ".txt", ".tsv")
MAPPINGS = (".toml",)


# ---------------------------------------------------------------------------
# Paths


def complete_path(value: str, suffixes: tuple[str, ...], cwd: str | None = None) -> str | None:
    """``value`` completed to the first folder or file (with one of ``suffixes``) it begins.

    Relative paths are completed in ``cwd`` (the current folder); hidden
    entries only when the name typed begins with a dot.
    """
    if not value:
        return None
    expanded = os.path.expanduser(value)
    head, tail = os.path.split(expanded)
    base = Path(head) if head else Path(".")
    if not base.is_absolute():
        base = Path(cwd or os.getcwd()) / base
    try:
        entries = sorted(os.scandir(base), key=lambda e: e.name.casefold())
    except OSError:
        return None
    for e in entries:
        name = e.name
        if not name.startswith(tail) or name == tail or (name.startswith(".") and
                                                          not tail.startswith(".")):
            continue
        try:
            is_dir = e.is_dir()
        except OSError:
            continue
        if is_dir:
            return value + name[len(tail):] + "/"
        if name.lower().endswith(suffixes):
            return value + name[len(tail):]
    return None


class PathSuggester(Suggester):
    """Completes a path in the current folder (accepted with →)."""

    def __init__(self, suffixes: tuple[str, ...]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.suffixes = suffixes

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value, self.suffixes)


def resolve(name: str) -> Path:
    path = Path(os.path.expanduser(name.strip()))
    return path if path.is_absolute() else Path(os.getcwd()) / path


# ---------------------------------------------------------------------------
# The dry run, through the command's functions


@dataclass
class Reading:
    """What the command would say about one file (with one sheet and mapping)."""

    file: Path
    plan: Plan | None = None
    error: str = ""  # the command's error line; the plan cannot be applied
    mapping: str = ""  # the mapping file the command's --show-mapping prints
    counts: str = ""
    rows: str = ""
    tables: str = ""
    sheets: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.plan is not None and not self.error and bool(self.plan.drafts)


def read_plan(file: Path, sheet: str | None, map_path: Path | None, folder: str,
              records: SimpleNamespace) -> Reading:
    """Plan the import as ``caselog import`` does; nothing is written. Runs in a thread.

    ``records`` has ``inquiries``, ``paths`` and ``settings``, as the
    command's loaded folder has.
    """
    from store.sheets import SheetError
    from store.sheets.mapping import mapping_to_toml
    from store.sheets.read import file_kind, sheet_names

    from ..commands import import_

    reading = Reading(file)
    args = SimpleNamespace(folder=folder, file=str(file), sheet=sheet or None,
                           map=str(map_path) if map_path else None)
    try:
        if file_kind(file) == "xlsx" and file.is_file():
            reading.sheets = sheet_names(file)
    except SheetError:
        pass  # make_plan says why
    try:
        plan, mapping = import_.make_plan(args, records)
    except CommandError as e:
        reading.error = str(e)
        return reading
    reading.plan = plan
    reading.mapping = mapping_to_toml(plan.columns, mapping, plan.table.name, plan.seen)
    try:
        import_.check_columns(plan, args)
    except CommandError as e:
        reading.error = str(e)
        return reading
    for attr, write in (("counts", lambda out: import_.describe_counts(plan, out)),
                        ("rows", lambda out: import_.describe_rows(plan, out)),
                        ("tables", lambda out: import_.describe_tables(plan, records.settings, out))):
        if attr == "tables" and not plan.drafts:
            continue
        out = io.StringIO()
        write(out)
        setattr(reading, attr, out.getvalue().strip("\n"))
    return reading


def write_import(plan: Plan, folder, taken: set[str], file_name: str) -> tuple[list[str], str, str]:
    """Write and commit as ``caselog import --apply`` does. Runs in a thread.

    Returns the written paths, the message of what was done, and the commit
    failure (empty when committed or when the folder is not in git); raises
    CommandError when nothing could be written.
    """
    from store.sheets.apply import apply_plan, commit_import

    try:
        written = apply_plan(plan, folder, taken)
    except OSError as e:
        raise CommandError(t("sheets.import.write_failed", detail=e.strerror or str(e))) from None
    rels = [rel for _, rel in written]
    done = t("sheets.import.done", n=len(written), folder=folder.root)
    message = t("sheets.import.commit", n=len(written), file=file_name)
    try:
        if commit_import(folder.root, rels, message):
            done += " " + t("sheets.import.committed", message=message)
    except RuntimeError as e:
        return rels, done, t("sheets.import.commit_failed", detail=str(e))
    return rels, done, ""


# ---------------------------------------------------------------------------
# Dialogs


class PathScreen(ModalScreen[Path | None]):
    """Ask for a file name, completing paths; ``must_exist`` for one to read.

    Dismisses with the absolute path, or None on escape. With ``allow_empty``
    an empty name dismisses with ``Path()`` ("no file").
    """

    DEFAULT_CSS = """
    PathScreen { align: center middle; }
    PathScreen > #path-box {
        width: 76; max-width: 100%; height: auto;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    PathScreen #path-error { color: $error; height: auto; }
    PathScreen .path-hint { color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "sheets.key.cancel", id="sheets.path.cancel",
                tooltip="sheets.key.cancel.tip"),
    ]

    def __init__(self, title: str, hint: str, default: str = "",
                 suffixes: tuple[str, ...] = MAPPINGS, must_exist: bool = False,
                 allow_empty: bool = False) -> None:
        super().__init__()
        translate_bindings(self)
        self.heading = title
        self.hint = hint
        self.default = default
        self.suffixes = suffixes
        self.must_exist = must_exist
        self.allow_empty = allow_empty

    def compose(self) -> ComposeResult:
        with Vertical(id="path-box"):
            yield Static(Text(self.heading, style="bold"))
            yield Static(Text(t("sheets.path.label")))
            yield Input(self.default, id="path-name", suggester=PathSuggester(self.suffixes))
            yield Static(Text(self.hint), classes="path-hint")
            yield Static(Text(t("sheets.path.keys", cwd=os.getcwd())), classes="path-hint")
            yield Static("", id="path-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        if not name:
            if self.allow_empty:
                self.dismiss(Path())
            else:
                self.query_one("#path-error", Static).update(Text(t("sheets.path.empty")))
            return
        path = resolve(name)
        error = ""
        if path.is_dir():
            error = t("sheets.path.is_dir", path=str(path))
        elif self.must_exist and not path.exists():
            error = t("sheets.path.missing", path=str(path))
        if error:
            self.query_one("#path-error", Static).update(Text(error))
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass
class ExportChoice:
    path: Path
    period: Period | None  # None: all periods
    personal: bool


class ExportRecordsScreen(ModalScreen[ExportChoice | None]):
    """File name (its suffix chooses the format), all periods or one, personal data or not."""

    DEFAULT_CSS = """
    ExportRecordsScreen { align: center middle; }
    ExportRecordsScreen > #exp-box {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ExportRecordsScreen RadioSet { width: 100%; }
    ExportRecordsScreen Checkbox { width: 100%; }
    ExportRecordsScreen #exp-warning { color: $warning; text-style: bold; height: auto; }
    ExportRecordsScreen #exp-error { color: $error; height: auto; }
    ExportRecordsScreen .exp-hint { color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "sheets.key.cancel", id="sheets.exp.cancel",
                tooltip="sheets.key.cancel.tip"),
    ]

    def __init__(self, period: Period, default: str | None = None) -> None:
        super().__init__()
        translate_bindings(self)
        self.period = period
        self.default = default or t("sheets.exp.default_name")

    def compose(self) -> ComposeResult:
        with Vertical(id="exp-box"):
            yield Static(Text(t("sheets.exp.title"), style="bold"))
            yield Static(Text(t("sheets.exp.label")))
            yield Input(self.default, id="exp-name",
                        suggester=PathSuggester((".csv", ".xlsx", ".md", ".txt")))
            with RadioSet(id="exp-period"):
                yield RadioButton(t("sheets.exp.all"), value=True, id="exp-all")
                yield RadioButton(t("sheets.exp.period", period=self.period.label), id="exp-one")
            yield Checkbox(t("sheets.exp.personal"), id="exp-personal")
            yield Static("", id="exp-warning")
            yield Static(Text(t("sheets.exp.keys")), classes="exp-hint")
            yield Static("", id="exp-error")

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.query_one("#exp-warning", Static).update(
            Text(t("sheets.exp.warning")) if event.value else "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from ..commands.export import SUFFIX_FORMATS

        event.stop()
        name = event.value.strip()
        error = ""
        path = resolve(name) if name else None
        if path is None:
            error = t("sheets.path.empty")
        elif path.suffix.lower() not in SUFFIX_FORMATS:
            error = t("sheets.exp.bad_extension")
        elif path.is_dir():
            error = t("sheets.path.is_dir", path=str(path))
        if error:
            self.query_one("#exp-error", Static).update(Text(error))
            return
        assert path is not None
        one = self.query_one("#exp-one", RadioButton).value
        self.dismiss(ExportChoice(path, self.period if one else None,
                                  self.query_one("#exp-personal", Checkbox).value))

    def action_cancel(self) -> None:
        self.dismiss(None)


# ---------------------------------------------------------------------------
# The screen


class SheetsScreen(Screen):
    """Import from a spreadsheet (mapping, dry run, apply) and export the records."""

    DEFAULT_CSS = """
    SheetsScreen #sheets-bar {
        height: 1; background: $panel; padding: 0 1; text-style: bold;
    }
    SheetsScreen #sheets-inputs { height: 1; padding: 0 1; }
    SheetsScreen #sheets-inputs > .label { width: auto; padding-right: 1; color: $text-muted; }
    SheetsScreen #sheets-inputs > Input {
        height: 1; border: none; padding: 0 1; background: $boost;
    }
    SheetsScreen #sheets-inputs > Input:focus { background: $primary 30%; }
    SheetsScreen #sheets-file { width: 1fr; }
    SheetsScreen #sheets-sheet { width: 16; }
    SheetsScreen #sheets-info { height: 1; padding: 0 1; color: $text-muted;
        text-wrap: nowrap; text-overflow: ellipsis; }
    SheetsScreen #sheets-status { height: auto; max-height: 3; padding: 0 1; text-style: bold; }
    SheetsScreen #sheets-status.error { color: $error; }
    SheetsScreen #sheets-scroll { height: 1fr; }
    SheetsScreen #sheets-scroll > .para { width: 100%; padding: 0 1; }
    SheetsScreen #sheets-scroll > .wide { width: auto; padding: 0 1; }
    SheetsScreen #sheets-scroll > .gap { height: 1; }
    """

    BINDINGS = [
        Binding("ctrl+s", "apply", "sheets.key.apply", id="sheets.apply",
                tooltip="sheets.key.apply.tip"),
        Binding("m", "toggle_mapping", "sheets.key.mapping", id="sheets.mapping",
                tooltip="sheets.key.mapping.tip"),
        Binding("l", "load_mapping", "sheets.key.load_map", id="sheets.load_mapping",
                tooltip="sheets.key.load_map.tip"),
        Binding("w", "save_mapping", "sheets.key.save_map", id="sheets.save_mapping",
                tooltip="sheets.key.save_map.tip", show=False),
        Binding("r", "reread", "sheets.key.reread", id="sheets.reread",
                tooltip="sheets.key.reread.tip", show=False),
        Binding("f", "focus_file", "sheets.key.file", id="sheets.file",
                tooltip="sheets.key.file.tip", show=False),
        Binding("e", "export", "sheets.key.export", id="sheets.export",
                tooltip="sheets.key.export.tip"),
        Binding("escape", "back", "sheets.key.back", id="sheets.back",
                tooltip="sheets.key.back.tip"),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self.reading: Reading | None = None
        self.map_path: Path | None = None
        self.show_mapping = False

    @property
    def workspace(self):
        return self.app.workspace  # type: ignore[attr-defined]

    # -- composing -------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(Text(t("sheets.app.title")), id="sheets-bar")
        with Horizontal(id="sheets-inputs"):
            yield Static(t("sheets.app.file"), classes="label")
            yield Input(id="sheets-file", placeholder=t("sheets.app.file_placeholder"),
                        suggester=PathSuggester(SPREADSHEETS))
            yield Static(t("sheets.app.sheet"), classes="label")
            yield Input(id="sheets-sheet", placeholder=t("sheets.app.sheet_placeholder"))
        yield Static("", id="sheets-info")
        yield Static("", id="sheets-status")
        yield ScrollableContainer(id="sheets-scroll", can_focus=True)
        yield Footer()

    async def on_mount(self) -> None:
        self.sub_title = t("sheets.app.title")
        self._show_info()
        await self._show()
        self.query_one("#sheets-file", Input).focus()

    # -- showing -----------------------------------------------------------------
    def _show_info(self) -> None:
        parts = [t("sheets.app.mapping_file", path=str(self.map_path)) if self.map_path
                 else t("sheets.app.mapping_auto")]
        if self.reading is not None and self.reading.sheets:
            parts.append(t("sheets.app.sheets", sheets=", ".join(self.reading.sheets)))
        self.query_one("#sheets-info", Static).update(Text(" · ".join(parts)))

    def _status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#sheets-status", Static)
        status.update(Text(text))
        status.set_class(error, "error")

    async def _show(self) -> None:
        """The dry run, or the mapping, of the current reading (or the introduction)."""
        r = self.reading
        items: list[tuple[str, str, str]] = []  # (id, class, text)
        if r is None:
            self._status("")
            items.append(("intro", "para", t("sheets.app.intro", cwd=os.getcwd())))
        elif self.show_mapping and r.mapping:
            self._status(t("sheets.app.mapping_heading"))
            items.append(("mapping", "wide", r.mapping))
        else:
            if r.error:
                self._status(t("sheets.app.cannot"), error=True)
                items.append(("error", "para", r.error))
                if r.mapping:
                    items.append(("fix", "para", t("sheets.app.fix")))
            elif r.plan is not None and r.plan.drafts:
                self._status(t("sheets.app.dry_run", n=len(r.plan.drafts)))
            else:
                self._status(t("sheets.app.nothing"))
            for key, cls in (("counts", "para"), ("rows", "para"), ("tables", "wide")):
                text = getattr(r, key)
                if text:
                    items.append((key, cls, text))
        scroll = self.query_one("#sheets-scroll", ScrollableContainer)
        await scroll.remove_children()
        widgets = []
        for i, (key, cls, text) in enumerate(items):
            if i:
                widgets.append(Static("", classes="gap"))
            # What the spreadsheet holds is shown literally, never as markup.
            widgets.append(Static(Text(text, no_wrap=cls == "wide"), id=f"sheets-{key}",
                                  classes=cls))
        await scroll.mount_all(widgets)
        scroll.scroll_home(animate=False)

    def shown_text(self) -> str:
        """Everything the screen shows of the dry run or mapping, as plain text (for tests)."""
        parts = [str(self.query_one("#sheets-status", Static).render())]
        for w in self.query_one("#sheets-scroll").query(Static):
            parts.append(str(w.render()))
        return "\n".join(parts)

    # -- reading -----------------------------------------------------------------
    def _records(self) -> SimpleNamespace:
        """A copy of what the command would load, taken on the interface's thread."""
        ws = self.workspace
        return SimpleNamespace(inquiries=dict(ws.inquiries), paths=dict(ws.paths),
                               settings=ws.settings)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id in ("sheets-file", "sheets-sheet"):
            self.action_reread()

    def action_reread(self) -> None:
        name = self.query_one("#sheets-file", Input).value.strip()
        if not name:
            self.notify(t("sheets.app.no_file"), severity="warning")
            self.query_one("#sheets-file", Input).focus()
            return
        self.read(resolve(name))

    async def _plan(self, file: Path) -> Reading:
        sheet = self.query_one("#sheets-sheet", Input).value.strip()
        return await asyncio.to_thread(read_plan, file, sheet, self.map_path,
                                       str(self.workspace.folder.root), self._records())

    @work(exclusive=True, group="sheets-read")
    async def read(self, file: Path) -> None:
        self._status(t("sheets.app.reading", file=file.name))
        reading = await self._plan(file)
        self.reading = reading
        self.show_mapping = False
        self._show_info()
        await self._show()
        self.query_one("#sheets-scroll").focus()

    # -- the mapping ---------------------------------------------------------------
    async def action_toggle_mapping(self) -> None:
        if self.reading is None or not self.reading.mapping:
            return
        self.show_mapping = not self.show_mapping
        await self._show()

    @work(exclusive=True, group="sheets-dialog")
    async def action_load_mapping(self) -> None:
        default = str(self.map_path) if self.map_path else ""
        path = await self.app.push_screen_wait(PathScreen(
            t("sheets.path.load_title"), t("sheets.path.load_hint"), default,
            MAPPINGS, must_exist=True, allow_empty=True))
        if path is None:
            return
        self.map_path = None if path == Path() else path
        self.notify(t("sheets.map.loaded", path=str(path)) if self.map_path
                    else t("sheets.map.cleared"))
        self._show_info()
        if self.query_one("#sheets-file", Input).value.strip():
            self.action_reread()

    @work(exclusive=True, group="sheets-dialog")
    async def action_save_mapping(self) -> None:
        if self.reading is None or not self.reading.mapping:
            self.notify(t("sheets.app.no_file"), severity="warning")
            return
        text = self.reading.mapping
        default = str(self.map_path) if self.map_path else t("sheets.map.default_name")
        path = await self.app.push_screen_wait(PathScreen(
            t("sheets.path.save_title"), t("sheets.path.save_hint"), default, MAPPINGS))
        if path is None or not await self._may_write(path):
            return
        try:
            await asyncio.to_thread(atomic_write, path, text.encode("utf-8"))
        except OSError as e:
            self.notify(t("sheets.map.failed", path=str(path), error=e.strerror or str(e)),
                        severity="error", timeout=10)
            return
        self.notify(t("sheets.map.saved", path=str(path)))

    async def _may_write(self, path: Path) -> bool:
        if not path.exists():
            return True
        from .confirm import ConfirmScreen

        return bool(await self.app.push_screen_wait(
            ConfirmScreen(t("sheets.path.exists", path=str(path)))))

    # -- applying --------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "apply":
            return True if self.reading is not None and self.reading.ready else None
        if action in ("toggle_mapping", "save_mapping"):
            return True if self.reading is not None and self.reading.mapping else None
        return True

    @work(exclusive=True, group="sheets-apply")
    async def action_apply(self) -> None:
        shown = self.reading
        if shown is None or not shown.ready:
            self.notify(t("sheets.app.not_ready"), severity="warning")
            return
        # Plan again: the file or the folder may have changed since the dry run.
        reading = await self._plan(shown.file)
        if not reading.ready or len(reading.plan.drafts) != len(shown.plan.drafts):
            self.reading, self.show_mapping = reading, False
            await self._show()
            self.notify(t("sheets.app.changed"), severity="warning", timeout=8)
            return
        from .confirm import ConfirmScreen

        ws = self.workspace
        plan = reading.plan
        assert plan is not None
        if not await self.app.push_screen_wait(ConfirmScreen(t(
                "sheets.app.confirm", n=len(plan.drafts), file=reading.file.name,
                folder=str(ws.folder.root)))):
            return
        try:
            rels, done, commit_error = await asyncio.to_thread(
                write_import, plan, ws.folder, set(ws.paths), reading.file.name)
        except CommandError as e:
            self.notify(str(e), severity="error", timeout=15)
            return
        for rel in rels:  # the list and the summary follow through the listeners
            ws.reload_path(rel)
        self.notify(done, timeout=8)
        if commit_error:
            self.notify(commit_error, severity="error", timeout=15)
        # The dry run again: the rows just written now count as imported before.
        self.reading = await self._plan(reading.file)
        await self._show()

    # -- exporting -------------------------------------------------------------------
    def current_period(self) -> Period:
        """The inquiry list's period, else the period of today."""
        try:
            period = self.app.get_screen("inquiries").query_state.period  # type: ignore[attr-defined]
        except (KeyError, AttributeError, LookupError):
            period = None
        return period or self.workspace.tally.default_period(clock.today())

    @work(exclusive=True, group="sheets-dialog")
    async def action_export(self) -> None:
        from ..commands.export import format_of, in_period, render_export, write_export

        choice = await self.app.push_screen_wait(ExportRecordsScreen(self.current_period()))
        if choice is None or not await self._may_write(choice.path):
            return
        ws = self.workspace
        inquiries, appeals = list(ws.inquiries.values()), list(ws.appeals.values())
        partial = bool(getattr(ws, "partial", None))
        fmt = format_of(choice.path)

        def export() -> tuple[int, int, int]:
            nonlocal inquiries, appeals
            if choice.personal and partial:
                # Records read from the index lack notes and the citizen: read the files.
                result = ws.folder.load(ws.settings)
                inquiries, appeals = list(result.inquiries.values()), list(result.appeals.values())
            chosen, chosen_appeals, label = in_period(inquiries, appeals, choice.period)
            sheets, text = render_export(chosen, chosen_appeals, label, fmt, choice.personal)
            write_export(choice.path, sheets, text)
            return len(sheets[0][2]), len(chosen), len(chosen_appeals)

        try:
            rows, n, n_appeals = await asyncio.to_thread(export)
        except OSError as e:
            self.notify(t("sheets.exp.failed", path=str(choice.path), error=e.strerror or str(e)),
                        severity="error", timeout=10)
            return
        self.notify(t("sheets.export.wrote", path=str(choice.path), rows=rows, inquiries=n,
                      appeals=n_appeals), timeout=8)
        if choice.personal:
            self.notify(t("sheets.export.personal"), severity="warning", timeout=10)

    # -- moving ----------------------------------------------------------------------
    def action_focus_file(self) -> None:
        self.query_one("#sheets-file", Input).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):  # leave the field first: the keys work again
            self.query_one("#sheets-scroll").focus()
            return
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
