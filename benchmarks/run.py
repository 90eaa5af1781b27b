"""Measure the scale targets of caselog on generated folders.

    python -m benchmarks.run                        # 1k and 10k
    python -m benchmarks.run --sizes 1000,10000,100000 --runs 3 --out benchmarks/RESULTS.md

Every figure is measured over several runs (median, min-max). Figures that
start at process start run in a fresh ``python`` (the wall time until the
child says it is ready). The floor, reading all the files' bytes, is measured
in the same run and load figures are given as a ratio to it. Keypress figures
are process CPU time in the headless app (``App.run_test``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

TARGETS = {  # at 100k; at 10k every figure at most half
    "floor": None,
    "open_index": 0.8,
    "open_noindex": "2x floor",
    "key_down": 0.050,
    "key_pagedown": 0.050,
    "key_filter": 0.050,
    "summary": 0.3,
    "settled": None,
    "stall": 0.100,  # a tenth of a second: where a wait starts to be noticed
    "save": 0.030,
    "outside": 2.0,
    "report_json": 1.0,
    "check": "2x floor",
    "rss_mb": 400,
}

LABELS = {
    "floor": "floor: read all files' bytes",
    "open_index": "open, index present: start -> first frame with the list",
    "open_noindex": "open, no index (first start): start -> first frame with the list",
    "key_down": "cursor down (CPU, after the start-up work)",
    "key_pagedown": "page down (CPU)",
    "key_filter": "one filter character (CPU)",
    "summary": "summary screen shown",
    "settled": "background start-up work done (after the list is on screen)",
    "stall": "longest wait of the interface during that work",
    "save": "save: file on disk + screen drawn",
    "outside": "a file edited in place outside -> in the list and the tally (app)",
    "report_json": "caselog report --format json, index present",
    "check": "caselog check (reads everything)",
    "rss_mb": "peak RSS, app open from index (MB)",
}


# ---------------------------------------------------------------------------
# Child processes


def _ready(**figures) -> None:
    import resource

    figures["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("READY " + json.dumps(figures), flush=True)


def child_open(root: str, use_app: bool) -> None:
    """Open from the index and (with the app) show the list; then measure keys."""
    from store.workspace.workspace import Workspace

    if not use_app:
        import textual.app  # noqa: F401  - the import the app pays

        Workspace.open(root, use_index=True)
        _ready()
        return
    import asyncio

    from tui.app import CaselogApp
    from tui.memory import limit_arenas

    limit_arenas()  # as run_app does
    ws = Workspace.open(root, use_index=True)
    app = CaselogApp(ws)

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            t_ready = time.perf_counter()
            figures: dict = {"t_ready": t_ready}
            # The background work after the first screen (the index check, the
            # search texts, the notes read for the search): how long it runs and
            # the longest the interface waited meanwhile (a 10 ms ticker's lateness).
            screen = app.get_screen("inquiries")
            worst = 0.0
            deadline = time.perf_counter() + 120
            while time.perf_counter() < deadline and (
                    screen.hydrating or app.watcher is None or not app.watcher._adopted.is_set()):
                t0 = time.perf_counter()
                await asyncio.sleep(0.01)
                worst = max(worst, time.perf_counter() - t0 - 0.01)
            figures["settled"] = time.perf_counter() - t_ready
            figures["stall"] = worst

            async def cpu(*keys: str) -> float:
                await pilot.pause()
                c0 = time.process_time()
                await pilot.press(*keys)
                await pilot.pause()
                return time.process_time() - c0

            figures["key_down"] = statistics.median([await cpu("down") for _ in range(7)])
            figures["key_pagedown"] = statistics.median([await cpu("pagedown") for _ in range(5)])
            await pilot.press("slash")
            await pilot.pause()
            figures["key_filter"] = statistics.median([await cpu(c) for c in "aebs"])
            await pilot.press("escape")
            await pilot.pause()
            import dataclasses

            rid = sorted(ws.inquiries)[len(ws.inquiries) // 2]
            saves = []
            for i in range(7):
                rec = ws.get(rid)
                await pilot.pause()
                t0 = time.perf_counter()
                ws.save(dataclasses.replace(rec, title=f"{rec.title.split(' #')[0]} #{i}"))
                # Until every widget has handled what the save sent it and the
                # screen is drawn again. (pilot.pause() would add its idle
                # detection, at least 20 ms of sleep; the app itself draws at
                # the next frame, at most 1/60 s later.)
                await pilot._wait_for_screen()
                app.screen._on_timer_update()
                saves.append(time.perf_counter() - t0)
            figures["save"] = statistics.median(saves)
            t0 = time.perf_counter()
            await pilot.press("o")
            await pilot.pause()
            figures["summary"] = time.perf_counter() - t0
            _ready(**figures)

    asyncio.run(main())


def _first_list_frame() -> list[float]:
    """Record (in the list returned) when the inquiry list first draws a row:
    the first frame with the list on it."""
    from tui.widgets.record_list import RecordList

    first: list[float] = []
    draw = RecordList.render_line

    def render_line(self, y):
        if not first and y >= 1 and self.id == "inquiry-list" and self.rows:
            first.append(time.perf_counter())
        return draw(self, y)

    RecordList.render_line = render_line
    return first


def child_noindex(root: str) -> None:
    """The app's first start: every file read behind the progress screen, until
    the list is drawn; then until the index is written (in the background)."""
    import asyncio

    from store.index import file as index_file
    from tui.app import CaselogApp
    from tui.memory import limit_arenas

    limit_arenas()  # as run_app does
    index_file.remove_index(Path(root))
    first = _first_list_frame()
    app = CaselogApp(None, folder=root)

    async def main() -> None:
        async with app.run_test(size=(120, 40)):
            while not first:
                await asyncio.sleep(0.001)
            while not index_file.index_path(Path(root)).exists():
                await asyncio.sleep(0.01)
            _ready(t_frame=first[0], t_index=time.perf_counter())

    asyncio.run(main())


def child_outside(root: str) -> None:
    """In the app: a file edited in place outside caselog (its folder's mtime
    does not move, the hardest case for polling) until the list shows it and
    the tally counts it."""
    import asyncio
    import dataclasses

    from store.format import codec
    from store.workspace.workspace import Workspace
    from tui.app import CaselogApp
    from tui.memory import limit_arenas

    limit_arenas()
    ws = Workspace.open(root, use_index=True)
    app = CaselogApp(ws)

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = app.get_screen("inquiries")
            deadline = time.perf_counter() + 120
            while time.perf_counter() < deadline and (
                    screen.hydrating or app.watcher is None or not app.watcher._adopted.is_set()):
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.5)
            period = screen.query_state.period  # the list's period: its rows are in it
            rows = list(screen.list.rows)
            times = []
            for i in range(5):
                rec = ws.get(rows[10 + i].id)
                p = Path(root) / ws.paths[rec.id]
                old = p.read_bytes()
                kind = "complaint-help" if rec.kind != "complaint-help" else "complaint"
                new = dataclasses.replace(rec, title=f"{rec.title} (outside {i})", kind=kind)
                before = ws.tally.periods[period].kinds[kind] if period in ws.tally.periods else 0
                t0 = time.perf_counter()
                with open(p, "r+b") as f:  # in place, as many editors write
                    f.write(codec.to_toml(new).encode())
                    f.truncate()
                while time.perf_counter() - t0 < 60:
                    shown = any(r.title == new.title for r in screen.list.rows)
                    counted = ws.tally.periods[period].kinds[kind] == before + 1
                    if shown and counted:
                        break
                    await asyncio.sleep(0.01)
                times.append(time.perf_counter() - t0)
                p.write_bytes(old)
                await asyncio.sleep(1.0)
            _ready(outside=statistics.median(times))

    asyncio.run(main())


# ---------------------------------------------------------------------------
# The parent


def run_child(args: list[str], timeout: float = 600) -> tuple[float, dict]:
    env = dict(os.environ, PYTHONPATH=str(REPO), CASELOG_LANG="en")
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=env, cwd=str(REPO), text=True)
    figures: dict = {}
    elapsed = None
    for line in p.stdout:
        if line.startswith("READY "):
            elapsed = time.perf_counter() - t0
            figures = json.loads(line[6:])
            figures["t_start"] = t0
            break
    out, err = p.communicate(timeout=timeout)
    total = time.perf_counter() - t0
    if p.returncode not in (0, 1) and elapsed is None:
        raise RuntimeError(f"{args}: exit {p.returncode}: {err[-2000:]}")
    return (elapsed if elapsed is not None else total), figures


def floor(root: Path) -> float:
    t0 = time.perf_counter()
    for kind in ("inquiries", "appeals"):
        for dirpath, _dirs, files in os.walk(root / kind):
            for name in files:
                with open(os.path.join(dirpath, name), "rb") as f:
                    f.read()
    return time.perf_counter() - t0


def app_ready() -> bool:
    try:
        from tui.app import CaselogApp  # noqa: F401
    except Exception:  # noqa: BLE001
        return False
    return True


def measure(n: int, runs: int) -> dict[str, list[float]]:
    from benchmarks.generate import ensure
    from store.index import file as index_file

    root = ensure(n)
    res: dict[str, list[float]] = {k: [] for k in TARGETS}
    res["start"] = [run_child(["-c", "print('READY {}')"])[0] for _ in range(3)]
    res["noindex_load"] = []
    me = ["-m", "benchmarks.run", "--child"]
    use_app = app_ready()
    # An index that is fresh (and whose files are older than the racy window).
    index_file.remove_index(root)
    run_child([*me, "noindex", str(root)])
    for _ in range(runs):
        res["floor"].append(floor(root))
        _t, f = run_child([*me, "noindex", str(root)])
        # From the parent's start of the child (perf_counter: one clock for both).
        res["open_noindex"].append(f["t_frame"] - f["t_start"])
        res["noindex_load"].append(f["t_index"] - f["t_start"])
        res["floor"].append(floor(root))
        t, _f = run_child(["-m", "tui.cli", "check", str(root)])
        res["check"].append(t)
    for _ in range(runs):
        t, f = run_child([*me, "open-app" if use_app else "open", str(root)])
        if use_app:
            # The wall time until the list was on screen, not the keys after it.
            res["open_index"].append(t - (time.perf_counter() - time.perf_counter()))
            for k in ("key_down", "key_pagedown", "key_filter", "save", "summary", "settled",
                      "stall"):
                if k in f:
                    res[k].append(f[k])
        res["rss_mb"].append(f.get("rss_mb", 0))
        if not use_app:
            res["open_index"].append(t)
        t, _f = run_child(["-m", "tui.cli", "report", str(root), "--format", "json"])
        res["report_json"].append(t)
        _t, f = run_child([*me, "outside", str(root)])
        res["outside"].append(f["outside"])
    if use_app:  # the open time without the key measurements that follow it
        res["open_index"] = []
        for _ in range(runs):
            t, f = run_child([*me, "open-app-only", str(root)])
            # perf_counter is the same clock in the parent and the child (Linux:
            # CLOCK_MONOTONIC): from the parent's start of the child to the frame.
            res["open_index"].append(f["t_frame"] - f["t_start"] if "t_frame" in f else t)
    return res


def child_open_app_only(root: str) -> None:
    import asyncio

    from store.workspace.workspace import Workspace
    from tui.app import CaselogApp
    from tui.memory import limit_arenas

    limit_arenas()  # as run_app does
    # The first frame with the list (pilot.pause() would wait on until the
    # process is idle, and the background work after the first screen keeps it busy).
    first = _first_list_frame()
    ws = Workspace.open(root, use_index=True)
    app = CaselogApp(ws)

    async def main() -> None:
        async with app.run_test(size=(120, 40)):
            while not first:
                await asyncio.sleep(0.001)
            _ready(t_frame=first[0])

    asyncio.run(main())


def fmt(v: float, key: str) -> str:
    if key == "rss_mb":
        return f"{v:.0f}"
    return f"{v * 1000:.0f} ms" if v < 1 else f"{v:.2f} s"


def report(results: dict[int, dict[str, list[float]]], runs: int, use_app: bool) -> str:
    lines = []
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import rtoml

        parser = f"rtoml {rtoml.__version__}"
    except ImportError:
        parser = "tomllib only"
    lines.append(f"Machine: {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
                 f"{parser}; load average at start {os.getloadavg()[0]:.1f}; {runs} runs each.")
    lines.append("")
    lines.append("Process figures are wall time from starting `python` until ready "
                 "(interpreter start included: " + ", ".join(
                     f"{fmt(statistics.median(results[n]['start']), 'x')} at {n:,}" for n in sorted(results))
                 + "). Keys: process CPU in the headless app (App.run_test), pilot overhead "
                 "included. Save: Workspace.save (fsync of file and folder), then every widget's "
                 "messages handled and the screen drawn (the running app draws at its next "
                 "frame, at most 1/60 s later; the pilot's idle wait of 20 ms or more is not "
                 "counted).")
    lines.append("")
    if not use_app:
        lines.append("Key, summary and save rows: n/a (app not ready); open = import Textual + "
                     "Workspace.open from the index.")
        lines.append("")
    sizes = sorted(results)
    head = "| figure | target (100k) | " + " | ".join(f"{n:,}: median (min-max)" for n in sizes) + " |"
    lines.append(head)
    lines.append("|" + "---|" * (2 + len(sizes)))
    for key, target in TARGETS.items():
        cells = []
        for n in sizes:
            vals = results[n][key]
            if not vals:
                cells.append("n/a (app not ready)" if key.startswith(
                    ("key", "summary", "save", "settled", "stall"))
                             else "n/a")
                continue
            med = statistics.median(vals)
            cell = f"{fmt(med, key)} ({fmt(min(vals), key)}-{fmt(max(vals), key)})"
            fl = statistics.median(results[n]["floor"])
            if key == "open_noindex":
                written = statistics.median(results[n]["noindex_load"])
                cell += f" = {med / fl:.1f}x floor; index written at {fmt(written, key)}"
            if key == "check":
                start = statistics.median(results[n]["start"])
                cell += f"; less interpreter start {(med - start) / fl:.1f}x floor"
            cells.append(cell)
        t = "" if target is None else (target if isinstance(target, str) else fmt(target, key))
        lines.append(f"| {LABELS[key]} | {t} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,10000")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--out", help="also write the table to this file")
    p.add_argument("--child", nargs=2, metavar=("WHAT", "ROOT"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        what, root = args.child
        {
            "open": lambda: child_open(root, False),
            "open-app": lambda: child_open(root, True),
            "open-app-only": lambda: child_open_app_only(root),
            "noindex": lambda: child_noindex(root),
            "outside": lambda: child_outside(root),
        }[what]()
        return 0
    sizes = [int(x) for x in args.sizes.split(",")]
    results = {}
    for n in sizes:
        print(f"measuring {n} ...", file=sys.stderr, flush=True)
        results[n] = measure(n, args.runs)
    text = report(results, args.runs, app_ready())
    print(text)
    if args.out:
        Path(args.out).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
