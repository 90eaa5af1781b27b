"""A line under a form that warns while a text field looks like it holds a CPR number.

The form calls ``update_from(fields)`` with the fields' labels and current text
whenever one changes; the line names the fields (never the number) and says
that saving is still possible. It is hidden when nothing looks like a CPR number.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from store.domain.cpr import has_cpr

from ..i18n import t


class CprNotice(Static):
    DEFAULT_CSS = """
    CprNotice {
        display: none;
        color: $text-warning;
        text-style: bold;
        padding: 0 1;
        height: auto;
    }
    CprNotice.-shown { display: block; }
    """

    def update_from(self, fields: dict[str, str]) -> list[str]:
        """Check ``{label: text}``; show or hide the warning; return the flagged labels."""
        flagged = [label for label, text in fields.items() if text and has_cpr(text)]
        if flagged:
            self.update(Text(t("privacy.cpr_warning_fields", fields=", ".join(flagged))))
        self.set_class(bool(flagged), "-shown")
        return flagged
