"""Today's date, which tests and snapshots can fix with ``CASELOG_TODAY=YYYY-MM-DD``."""

from __future__ import annotations

import os
from datetime import date


def today() -> date:
    fixed = os.environ.get("CASELOG_TODAY")
    if fixed:
        try:
            return date.fromisoformat(fixed)
        except ValueError:
            pass
    return date.today()
