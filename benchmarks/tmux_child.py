"""``caselog FOLDER`` as a user starts it, in a real terminal, noting its first frame with rows.

    python -m benchmarks.tmux_child OUT FOLDER

Runs ``tui.cli.main([FOLDER])`` (the app's own start: run_app, the index or
the first-start progress screen) with one hook: when the inquiry list first
draws a row, the time (``time.perf_counter()``, CLOCK_MONOTONIC, the same
clock as the parent's) is written to OUT, and once more after Textual's
driver has written that frame to the terminal (``t_written``). The parent
(benchmarks/run.py) starts this inside tmux and confirms with
``tmux capture-pane`` that ids are on the screen. Only what the hook needs is
imported before the app's own imports. With ``CASELOG_BENCH_PROFILE=FILE``
the start is profiled (cProfile) up to that frame and the stats written to FILE.
"""

from __future__ import annotations

import os
import sys
import time


def main() -> int:
    out, folder = sys.argv[1], sys.argv[2]
    t_main = time.perf_counter()
    profile = None
    if os.environ.get("CASELOG_BENCH_PROFILE"):  # cProfile from here to the first frame out
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    from textual.app import App

    from tui.widgets.record_list import RecordList

    state: dict = {}
    draw = RecordList.render_line

    def render_line(self, y):
        if "t_frame" not in state and y >= 1 and self.id == "inquiry-list" and self.rows:
            state["t_frame"] = time.perf_counter()
        return draw(self, y)

    RecordList.render_line = render_line
    display = App._display

    def _display(self, screen, renderable):
        result = display(self, screen, renderable)
        if "t_frame" in state and "t_written" not in state:
            # the frame is handed to the driver (its writer thread writes it to the tty)
            state["t_written"] = time.perf_counter()
            if profile is not None:
                profile.disable()
                profile.dump_stats(os.environ["CASELOG_BENCH_PROFILE"])
            with open(out + ".tmp", "w") as f:
                f.write(f"{state['t_frame']} {state['t_written']} {t_main}\n")
            os.replace(out + ".tmp", out)
        return result

    App._display = _display
    from tui.cli import main as cli_main

    return cli_main([folder])


if __name__ == "__main__":
    sys.exit(main())
