"""The caselog terminal app: opening a folder and moving between the screens.

``run_app(folder, lang)`` opens the folder through a ``Workspace`` and runs
``CaselogApp``. The start screen is the inquiry list; the summary, appeals and
problems screens are installed by name ("summary", "appeals", "problems")
when their modules are there, so that ``app.push_screen("summary")`` works
from anywhere.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen

from store.taxonomy import SettingsError
from store.workspace import Workspace

from .errors import CommandError
from .i18n import language, set_language, t
from .keys import is_ours, translate_bindings

# name -> (module, class): screens other parts of the app provide.
OPTIONAL_SCREENS = {
    "summary": ("tui.screens.summary", "SummaryScreen"),
    "appeals": ("tui.screens.appeals", "AppealsScreen"),
    "problems": ("tui.screens.problems", "ProblemsScreen"),
}


def _factory(module: str, cls: str) -> Callable[[], Screen] | None:
    if importlib.util.find_spec(module) is None:
        return None

    def make() -> Screen:
        return getattr(importlib.import_module(module), cls)()

    return make


def available_screens() -> dict[str, Callable[[], Screen]]:
    found = {}
    for name, (module, cls) in OPTIONAL_SCREENS.items():
        try:
            make = _factory(module, cls)
        except (ImportError, ValueError):
            make = None
        if make is not None:
            found[name] = make
    return found


class CaselogApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "caselog"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h", "goto('inquiries')", "app.key.inquiries", id="app.inquiries",
                tooltip="app.key.inquiries_tip", show=False),
        Binding("o", "goto('summary')", "app.key.summary", id="app.summary",
                tooltip="app.key.summary_tip"),
        Binding("a", "goto('appeals')", "app.key.appeals", id="app.appeals",
                tooltip="app.key.appeals_tip"),
        Binding("p", "goto('problems')", "app.key.problems", id="app.problems",
                tooltip="app.key.problems_tip"),
        Binding("question_mark,f1", "help", "app.key.help", id="app.help",
                tooltip="app.key.help_tip", key_display="?"),
        Binding("ctrl+q", "quit", "app.key.quit", id="app.quit", tooltip="app.key.quit_tip",
                priority=True, show=False),
        Binding("ctrl+p", "command_palette", "app.key.palette", id="app.palette",
                tooltip="app.key.palette_tip", show=False, priority=True),
    ]

    def __init__(self, workspace: Workspace, screens: dict[str, Callable[[], Screen]] | None = None):
        self.SCREENS = dict(available_screens() if screens is None else screens)
        super().__init__()
        translate_bindings(self)
        self.workspace = workspace
        self.sub_title = str(workspace.folder.root)

    def on_mount(self) -> None:
        from .screens.inquiries import InquiriesScreen

        self.install_screen(InquiriesScreen(self.workspace), "inquiries")
        self.push_screen("inquiries")

    # -- moving between screens -------------------------------------------------
    def has_screen(self, name: str) -> bool:
        return name == "inquiries" or name in self.SCREENS

    def action_goto(self, name: str) -> None:
        if not self.has_screen(name):
            self.notify(t("app.not_yet"), timeout=3)
            return
        while len(self.screen_stack) > 2:  # the default screen and the inquiry list
            self.pop_screen()
        if name != "inquiries":
            self.push_screen(name)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("goto", "help"):
            if isinstance(self.screen, ModalScreen):
                return False  # a form or a question is open: keys belong to it
            if action == "goto":
                name = str(parameters[0]) if parameters else ""
                if not self.has_screen(name):
                    return False
                current = self.screen
                if current is self.get_screen("inquiries") and name == "inquiries":
                    return False
        return True

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        screen = self.screen
        self.push_screen(HelpScreen(screen, screen.title or ""))

    # -- the command palette: every key of the current screen ------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        seen = set()
        for active in screen.active_bindings.values():
            b = active.binding
            if not is_ours(b) or not active.enabled or b.action in (
                    "command_palette", "quit") or (b.action, b.description) in seen:
                continue
            if b.action.startswith(("cursor_", "page_", "move", "first", "last")):
                continue
            seen.add((b.action, b.description))
            help_text = f"{self.get_key_display(b)} · {b.tooltip or b.description}"
            yield SystemCommand(b.description, help_text,
                                partial(self._run_from_palette, b.action, active.node))
        yield SystemCommand(t("app.cmd.theme"), t("app.cmd.theme_tip"), self.action_change_theme)
        yield SystemCommand(t("app.key.quit"), t("app.key.quit_tip"), self.action_quit)

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=t("app.palette_placeholder"),
                                            id="--command-palette"))

    def _run_from_palette(self, action: str, node) -> None:
        self.call_later(self.run_action, action, node)


def run_app(folder: str, lang: str | None) -> int:
    """Open ``folder`` and run the app; returns the exit status."""
    set_language(lang or language())
    try:
        workspace = Workspace.open(folder)
    except SettingsError as e:
        p = e.problem
        raise CommandError(
            t("cli.settings_error", path=str(Path(folder) / p.path), line=p.line or 1,
              message=p.message(language())) + " – " + t("app.settings_fix")
        ) from None
    except OSError as e:
        raise CommandError(t("app.cannot_open", folder=folder, error=e.strerror or str(e))) from None
    set_language(lang or workspace.settings.language)
    app = CaselogApp(workspace)
    app.run()
    return app.return_code or 0
