"""A second advisor's process: save N new inquiries into FOLDER the way the app
does (Workspace.save, then the Committer commits each in the background).

    python tests/team/saver.py FOLDER N MONTH

Prints one line per error the Committer reported, and the ids it saved.
Exit 1 when any commit failed.
"""

from __future__ import annotations

import json
import sys
from datetime import date

from store.domain.records import Inquiry, Point
from store.workspace.workspace import Workspace
from tui.vcs import make_committer

POINT = Point("Børn & Familie", "Forvaltningsskik", "Sagsbehandlingstid og manglende svar")


def main() -> int:
    root, n, month = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    ws = Workspace.open(root)
    errors: list[str] = []
    committer = make_committer(ws, errors.append)
    saved = []
    for i in range(n):
        received = date(2024, month, 1 + i % 28)
        rid = ws.new_id(received)
        ws.save(Inquiry(rid, received, "complaint", "open", POINT, channel="Telefon",
                        title=f"Sag {i}"))
        saved.append(rid)
    committer.close(timeout=300)
    left = sorted(committer.pending)
    print(json.dumps({"saved": saved, "errors": errors, "pending": left}))
    return 1 if errors or left else 0


if __name__ == "__main__":
    sys.exit(main())
