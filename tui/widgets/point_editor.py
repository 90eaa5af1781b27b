"""One issue of an inquiry: department → theme → subtheme, each chosen by typing."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Static

from store.domain.records import Point
from store.domain.taxonomy import Settings

from ..i18n import t
from .picker import Picker


class PointEditor(Vertical):
    """Three pickers; the subtheme choices follow the theme."""

    # As tall as its fields: several issues share a scrolling form, and none
    # may squeeze the others' fields out of sight.
    DEFAULT_CSS = """
    PointEditor { height: auto; }
    """

    def __init__(self, settings: Settings, point: Point | None, heading: str,
                 *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.settings = settings
        self.point = point
        self.heading = heading

    def compose(self) -> ComposeResult:
        p = self.point
        s = self.settings
        yield Static(Text(self.heading), classes="point-heading")
        with Horizontal(classes="row"):
            yield Label(t("app.form.department"), classes="label")
            yield Picker(s.department_names, p.department if p else "",
                         t("app.form.type_to_choose"), classes="department")
        with Horizontal(classes="row"):
            yield Label(t("app.form.theme"), classes="label")
            yield Picker([th.name for th in s.themes], p.theme if p else "",
                         t("app.form.type_to_choose"), classes="theme")
        with Horizontal(classes="row"):
            yield Label(t("app.form.subtheme"), classes="label")
            yield Picker(self._subthemes(p.theme if p else ""), (p.subtheme or "") if p else "",
                         t("app.form.type_to_choose"), classes="subtheme")
        yield Static("", classes="field-error")

    def _subthemes(self, theme: str) -> list[str]:
        th = self.settings.theme(theme)
        return list(th.subthemes) if th else []

    def _picker(self, cls: str) -> Picker:
        return self.query_one(f"Picker.{cls}", Picker)

    @on(Picker.Changed, ".theme")
    def _theme_changed(self, event: Picker.Changed) -> None:
        self._picker("subtheme").refit(self._subthemes(event.value))
        self.show_error(None)

    @on(Picker.Changed)
    def _changed(self, event: Picker.Changed) -> None:
        self.show_error(None)

    def values(self) -> tuple[str, str, str]:
        return (self._picker("department").value, self._picker("theme").value,
                self._picker("subtheme").value)

    def problem(self) -> tuple[str, str] | None:
        """(picker class, message) of the first thing wrong, or None."""
        dept, theme, sub = self.values()
        p, s = self.point, self.settings
        if not dept:
            return "department", t("app.form.err.department")
        if not s.knows_department(dept) and not (p and dept == p.department):
            return "department", t("app.form.err.department_unknown")
        if not theme:
            return "theme", t("app.form.err.theme")
        th = s.theme(theme)
        if th is None and not (p and theme == p.theme):
            return "theme", t("app.form.err.theme_unknown")
        if th is not None and th.subthemes:
            if not sub:
                return "subtheme", t("app.form.err.subtheme")
            if sub not in th.subthemes and not (p and sub == p.subtheme and theme == p.theme):
                return "subtheme", t("app.form.err.subtheme_unknown")
        if th is not None and not th.subthemes and sub:
            return "subtheme", t("app.form.err.no_subtheme")
        return None

    def show_error(self, message: str | None) -> None:
        err = self.query_one(".field-error", Static)
        err.update(Text(message or ""))
        err.display = bool(message)

    def focus_field(self, cls: str = "department") -> None:
        self._picker(cls).focus()

    def to_point(self) -> Point:
        """The issue as a Point; an existing one keeps its unknown keys."""
        dept, theme, sub = self.values()
        if self.point is not None:
            from dataclasses import replace

            return replace(self.point, department=dept, theme=theme, subtheme=sub or None)
        return Point(dept, theme, sub or None)
