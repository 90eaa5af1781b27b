"""Measure the scale targets of caselog on generated folders, or on any folder.

    python -m benchmarks.run                        # 1k and 10k
    python -m benchmarks.run --sizes 1000,10000,100000 --runs 3 --out benchmarks/RESULTS.md
    python -m benchmarks.run --sizes 10000,100000,300000   # with the growth table
    python -m benchmarks.run --folder PATH          # an existing folder (measured on a copy)
    python benchmarks/run.py --folder PATH          # the same

Every figure is measured over several runs (median, min-max). Figures that
start at process start run in a fresh ``python`` (the wall time until the
child says it is ready). The floor, reading all the files' bytes, is measured
in the same run and load figures are given as a ratio to it. Keypress figures
are process CPU time in the headless app (``App.run_test``).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if __package__ in (None, ""):  # run as a script: python benchmarks/run.py
    sys.path.insert(0, str(REPO))

TARGETS = {  # at 100k; at 10k every figure at most half
    "floor": None,
    "open_index": 0.8,
    "open_noindex": "2x floor",
    "key_down": 0.050,
    "key_pagedown": 0.050,
    "key_filter": 0.050,
    "filter_all": None,
    "filter_all_cpu": None,
    "summary": 0.3,
    "summary_saves": None,
    "settled": None,
    "stall": 0.100,  # a tenth of a second: where a wait starts to be noticed
    "save": 0.030,
    "outside": 2.0,
    "report_json": 1.0,
    "check": "2x floor",
    "rss_mb": 400,
    "rss_quit_mb": 400,
    "tmux_open": 0.8,
}

# A national office over decades (issue 13): what must hold at 300,000 inquiries.
TARGETS_300K = {
    "open_index": 1.0, "tmux_open": 1.0, "report_json": 1.5, "rss_mb": 600, "rss_quit_mb": 600,
    "key_down": 0.050, "key_pagedown": 0.050, "key_filter": 0.050,
}

LABELS = {
    "floor": "floor: read all files' bytes",
    "open_index": "open, index present: start -> first frame with the list",
    "open_noindex": "open, no index (first start): start -> first frame with the list",
    "key_down": "cursor down (CPU, after the start-up work)",
    "key_pagedown": "page down (CPU)",
    "key_filter": "one filter character (CPU): until its first rows are drawn",
    "filter_all": "  the same: until every match is found, the notes too (wall)",
    "filter_all_cpu": "  the same: its CPU",
    "summary": "summary screen shown (first time, after the start-up work)",
    "summary_saves": "  the same again, right after 7 saves (their 7 git commits running)",
    "settled": "background start-up work done (after the list is on screen)",
    "stall": "longest wait of the interface during that work",
    "save": "save: file on disk + screen drawn",
    "outside": "a file edited in place outside -> in the list and the tally (app)",
    "report_json": "caselog report --format json, index present",
    "check": "caselog check (reads everything)",
    "rss_mb": "peak RSS, app open from index (MB)",
    "rss_quit_mb": "  the same, to the end of the session (the index written at quit, after the saves)",
    "tmux_open": "open in tmux 160x50, index present: start -> ids on screen (capture-pane)",
}


# ---------------------------------------------------------------------------
# Child processes


def _status_mb(field: str) -> float | None:
    """A memory figure of this process from /proc/self/status (Linux), in MB."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _peak_rss_mb() -> float:
    """This process's peak resident size since it started (MB).

    On Linux, VmHWM: the peak of this process's own memory. Not ``ru_maxrss``,
    which Linux carries over an exec from the process that forked it: a child
    started by a parent holding 545 MB reports at least 545 MB, whatever it
    uses itself (the benchmark's parent reads a whole folder in-process for its
    correctness checks). Elsewhere ``ru_maxrss``.
    """
    peak = _status_mb("VmHWM")
    if peak is not None:
        return peak
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ready(**figures) -> None:
    figures.setdefault("rss_mb", _peak_rss_mb())
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
    trace = os.environ.get("CASELOG_BENCH_RSS_TRACE")
    if trace:
        _trace_rss(trace)
    ws = Workspace.open(root, use_index=True)
    app = CaselogApp(ws)

    figures: dict = {}

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            t_ready = time.perf_counter()
            figures["t_ready"] = t_ready
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
            # The summary, first shown (its widgets mounted), as a user opens it
            t0 = time.perf_counter()
            await pilot.press("o")
            await pilot.pause()
            figures["summary"] = time.perf_counter() - t0
            await pilot.press("h")
            await pilot.pause()
            await pilot.press("slash")
            await pilot.pause()
            # A letter typed: the list looks at its rows in their order (each
            # row's search text, then its notes) until it can fill the screen or
            # SEARCH_BUDGET is up, shows them, and looks on a part per turn. The
            # key's figure is the process's CPU from the key sent to the frame
            # drawn that shows its first rows (pilot.press would wait until the
            # app is idle: the look's later turns too); the second, the wall
            # time and the CPU until every match is found and drawn.
            from textual import events

            shows: list[float] = []
            show = screen._show

            def counted_show(*args, **kwargs) -> None:
                show(*args, **kwargs)
                shows.append(time.perf_counter())

            screen._show = counted_show
            first, every, every_cpu = [], [], []
            for c in "aebs":
                await pilot.pause()
                n = len(shows)
                c0, t0 = time.process_time(), time.perf_counter()
                app._driver.send_message(events.Key(c, c))
                give_up = time.perf_counter() + 30
                while len(shows) == n:
                    if time.perf_counter() > give_up:
                        raise RuntimeError(f"the key {c!r} showed no rows in 30 s")
                    await asyncio.sleep(0)
                app.screen._on_timer_update()  # and drawn
                first.append(time.process_time() - c0)
                while screen.index.searching:
                    await asyncio.sleep(0.001)
                await pilot._wait_for_screen()
                app.screen._on_timer_update()
                every.append(time.perf_counter() - t0)
                every_cpu.append(time.process_time() - c0)
            del screen._show
            figures["key_filter"] = statistics.median(first)
            figures["filter_all"] = statistics.median(every)
            figures["filter_all_cpu"] = statistics.median(every_cpu)
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
            # Again right after the saves (recomputed), while their git commits run
            t0 = time.perf_counter()
            await pilot.press("o")
            await pilot.pause()
            figures["summary_saves"] = time.perf_counter() - t0
            figures["rss_mb"] = _peak_rss_mb()
            await app.action_quit()  # quit as ctrl+q does: the index written after the saves

    asyncio.run(main())
    figures["rss_quit_mb"] = _peak_rss_mb()
    _ready(**figures)


def _trace_rss(path: str, every: float = 0.005) -> None:
    """Where a child's peak memory is taken (CASELOG_BENCH_RSS_TRACE=FILE): its
    resident size sampled every ``every`` seconds by a thread; at each new
    maximum every other thread's stack is kept; at exit the peak, its stacks and
    the maximum per half second are written to FILE."""
    import atexit
    import threading
    import traceback

    t0 = time.perf_counter()
    best: list = [0.0, 0.0, {}]
    buckets: dict[float, float] = {}

    def sample() -> None:
        me = threading.get_ident()
        while True:
            r, t = _status_mb("VmRSS") or 0.0, time.perf_counter() - t0
            b = int(t * 2) / 2
            buckets[b] = max(buckets.get(b, 0.0), r)
            if r > best[0]:
                best[:] = [r, t, {tid: "".join(traceback.format_stack(fr, limit=15))
                                  for tid, fr in sys._current_frames().items() if tid != me}]
            time.sleep(every)

    def write() -> None:
        with open(path, "w") as f:
            f.write(f"peak {best[0]:.0f} MB at {best[1]:.2f} s; VmHWM {_peak_rss_mb():.0f} MB\n")
            f.write(" ".join(f"{b:.1f}:{r:.0f}" for b, r in sorted(buckets.items())) + "\n")
            for tid, stack in best[2].items():
                f.write(f"--- thread {tid}\n{stack}")

    threading.Thread(target=sample, daemon=True).start()
    atexit.register(write)


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
    """Run ``python ARGS``: the wall time until it prints READY (or exits), and its figures.

    Its stderr goes to a file (a pipe that nobody reads would stop a child that
    warns about 100,000 files); ``figures["stderr_lines"]`` counts its lines.
    """
    env = dict(os.environ, PYTHONPATH=str(REPO), CASELOG_LANG="en")
    with tempfile.TemporaryFile() as err_f:
        t0 = time.perf_counter()
        p = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=err_f,
                             env=env, cwd=str(REPO), text=True)
        figures: dict = {}
        elapsed = None
        for line in p.stdout:
            if line.startswith("READY "):
                elapsed = time.perf_counter() - t0
                figures = json.loads(line[6:])
                figures["t_start"] = t0
                break
        p.communicate(timeout=timeout)
        total = time.perf_counter() - t0
        err_f.seek(0)
        err = err_f.read()
    figures["stderr_lines"] = err.count(b"\n")
    if p.returncode not in (0, 1) and elapsed is None:
        raise RuntimeError(f"{args}: exit {p.returncode}: {err[-2000:].decode(errors='replace')}")
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

    return measure_root(ensure(n), runs)


def measure_root(root: Path, runs: int, tmux: bool = True) -> dict[str, list[float]]:
    """Every figure of TARGETS on ``root`` (which is changed: saves, outside edits)."""
    from store.index import file as index_file

    res: dict[str, list[float]] = {k: [] for k in TARGETS}
    res["start"] = [run_child(["-c", "print('READY {}')"])[0] for _ in range(3)]
    res["noindex_load"] = []
    res["load"] = [os.getloadavg()[0]]
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
            for k in ("key_down", "key_pagedown", "key_filter", "filter_all", "filter_all_cpu",
                      "save", "summary", "summary_saves",
                      "settled", "stall"):
                if k in f:
                    res[k].append(f[k])
        res["rss_mb"].append(f.get("rss_mb", 0))
        if "rss_quit_mb" in f:
            res["rss_quit_mb"].append(f["rss_quit_mb"])
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
    if tmux and use_app and tmux_available():
        run_child(["-m", "tui.cli", "report", str(root), "--format", "json"])  # the index fresh
        for _ in range(runs):
            res["tmux_open"].append(tmux_open(root)["seen"])
    res["load"].append(os.getloadavg()[0])
    return res


# ---------------------------------------------------------------------------
# In a real terminal: tmux


TMUX = ["tmux", "-L", "caselog-bench", "-f", "/dev/null"]  # a server of our own
_ID_ON_SCREEN = re.compile(r"\b\d{4}-\d{2}-\d{2}-[0-9a-hjkmnp-tv-z]{4}\b")


def tmux_available() -> bool:
    return shutil.which("tmux") is not None


def tmux_open(root: Path, size: tuple[int, int] = (160, 50), timeout: float = 120,
              profile: str | None = None) -> dict:
    """``caselog ROOT`` started in a detached tmux session of 160x50, as a user starts it.

    Returns ``frame`` (the child's first frame with rows, benchmarks/tmux_child.py),
    ``written`` (that frame handed to the terminal driver), ``seen`` (the first
    ``tmux capture-pane`` showing ids, polled once the child says the frame is out),
    ``progress`` (whether a capture before it showed the first start's progress), all
    from just before tmux is asked to start the process; ``quit`` how long ctrl+q took.
    """
    name = f"bench{os.getpid()}"
    out = Path(tempfile.mkdtemp(prefix="caselog-tmux-")) / "frame"
    env = f"PYTHONPATH={shlex.quote(str(REPO))} CASELOG_LANG=en TERM=tmux-256color"
    if profile:
        env += f" CASELOG_BENCH_PROFILE={shlex.quote(profile)}"
    cmd = f"env {env} {shlex.quote(sys.executable)} -m benchmarks.tmux_child " \
          f"{shlex.quote(str(out))} {shlex.quote(str(root))}"
    subprocess.run([*TMUX, "kill-session", "-t", name], capture_output=True)
    t0 = time.perf_counter()
    subprocess.run([*TMUX, "new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]),
                    "-c", str(REPO), cmd], check=True)
    got: dict = {"progress": False}

    def capture() -> str:
        return subprocess.run([*TMUX, "capture-pane", "-p", "-t", name], capture_output=True,
                              text=True).stdout

    deadline = t0 + timeout
    last_look = 0.0
    while not out.exists() and time.perf_counter() < deadline:
        now = time.perf_counter()
        if now - last_look > 0.2:  # now and then: is the progress screen there?
            last_look = now
            screen = capture()
            if ("Reading" in screen and " files" in screen) or ("Læser" in screen and " filer" in screen):
                got["progress"] = True
        time.sleep(0.002)
    if out.exists():
        frame, written, main_t = map(float, out.read_text().split())
        got.update(frame=frame - t0, written=written - t0, main=main_t - t0)
        while time.perf_counter() < deadline:
            screen = capture()
            if _ID_ON_SCREEN.search(screen):
                got["seen"] = time.perf_counter() - t0
                got["rows_seen"] = len(_ID_ON_SCREEN.findall(screen))
                break
            time.sleep(0.005)
    t_quit = time.perf_counter()
    subprocess.run([*TMUX, "send-keys", "-t", name, "C-q"], capture_output=True)
    while time.perf_counter() - t_quit < 120:
        if subprocess.run([*TMUX, "has-session", "-t", name], capture_output=True).returncode:
            break
        time.sleep(0.05)
    got["quit"] = time.perf_counter() - t_quit
    subprocess.run([*TMUX, "kill-session", "-t", name], capture_output=True)
    shutil.rmtree(out.parent, ignore_errors=True)
    if "seen" not in got:
        raise RuntimeError(f"tmux: no ids on screen within {timeout} s ({got})")
    return got


# ---------------------------------------------------------------------------
# An existing folder (--folder): measured on a copy


FOLDER_FIGURES = {  # key: (label, target)
    "floor_warm": ("floor: read all files' bytes, warm cache", None),
    "floor_cold": ("floor: the same, the files' pages dropped first (fadvise)", None),
    "report_0644": ("caselog report --format json, index present, files 0644", 1.0),
    "report_0600": ("caselog report --format json, index present, files 0600", 1.0),
    "report_first": ("first caselog report --format json (no index), files 0644", "2x floor"),
    "check": ("caselog check (reads everything)", "2x floor"),
    "tmux_open": ("open in tmux 160x50, index present, 0644: start -> ids on screen", 0.8),
    "tmux_frame": ("  the same: start -> the app's first frame with rows", 0.8),
    "tmux_open_0600": ("open in tmux 160x50, index present, files 0600: -> ids on screen", 0.8),
    "tmux_first": ("first open in tmux (no index): start -> ids on screen", "2x floor"),
}


def copy_folder(src: Path, dest: Path) -> None:
    """A real copy (own inodes, modes and mtimes kept): saves must not write through."""
    subprocess.run(["cp", "-a", "--", str(src), str(dest)], check=True)


def _record_files(root: Path):
    for kind in ("inquiries", "appeals"):
        for dirpath, _dirs, files in os.walk(root / kind):
            for name in files:
                yield os.path.join(dirpath, name)


def evict(root: Path) -> None:
    """Drop the page cache of the folder's record files (only theirs: the machine is shared)."""
    os.sync()
    for p in _record_files(root):
        try:
            fd = os.open(p, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def chmod_files(root: Path, mode: int) -> None:
    for p in _record_files(root):
        os.chmod(p, mode)


def _timed(res: dict, key: str, args: list[str]) -> dict:
    res.setdefault(key + "@load", []).append(os.getloadavg()[0])
    t, f = run_child(args)
    res.setdefault(key, []).append(t)
    return f


def measure_folder(src: Path, runs: int, headless: bool = True, keep: Path | None = None) -> dict:
    """Every figure on a copy of ``src`` (never touched): see FOLDER_FIGURES, then the
    headless figures of TARGETS, and the correctness checks."""
    from store.index import file as index

    work = Path(tempfile.mkdtemp(prefix="caselog-folder-", dir=os.environ.get("CASELOG_BENCH_TMP")))
    root = work / "copy"
    res: dict = {}
    try:
        print(f"copying {src} to {root} ...", file=sys.stderr, flush=True)
        copy_folder(src, root)
        index.remove_index(root)
        res["files"] = [sum(1 for _ in _record_files(root))]
        floor(root)  # warm
        for _ in range(runs):
            res.setdefault("floor_warm", []).append(floor(root))
            evict(root)
            res.setdefault("floor_cold", []).append(floor(root))
        report = ["-m", "tui.cli", "report", str(root), "--format", "json"]
        for _ in range(runs):
            index.remove_index(root)
            _timed(res, "report_first", report)
            _timed(res, "check", ["-m", "tui.cli", "check", str(root)])
        for _ in range(runs):
            f = _timed(res, "report_0644", report)
        res["warning_lines"] = [f["stderr_lines"]]
        if app_ready() and tmux_available():
            for key, fresh in (("tmux_open", False), ("tmux_first", True)):
                for _ in range(runs):
                    if fresh:
                        index.remove_index(root)
                    res.setdefault(key + "@load", []).append(os.getloadavg()[0])
                    got = tmux_open(root)
                    res.setdefault(key, []).append(got["seen"])
                    if key == "tmux_open":
                        res.setdefault("tmux_frame", []).append(got["frame"])
                    else:
                        res.setdefault("tmux_progress", []).append(got["progress"])
        print("correctness ...", file=sys.stderr, flush=True)
        res["correct"] = correctness(root)
        if headless:
            print("headless figures ...", file=sys.stderr, flush=True)
            res["headless"] = measure_root(root, runs, tmux=False)
        chmod_files(root, 0o600)
        run_child(report)  # the index again: every file's mode changed
        for _ in range(runs):
            _timed(res, "report_0600", report)
        if app_ready() and tmux_available():
            for _ in range(runs):
                res.setdefault("tmux_open_0600@load", []).append(os.getloadavg()[0])
                res.setdefault("tmux_open_0600", []).append(tmux_open(root)["seen"])
    finally:
        if keep is not None:
            shutil.rmtree(keep, ignore_errors=True)
            shutil.move(str(root), str(keep))
        shutil.rmtree(work, ignore_errors=True)
    return res


def correctness(root: Path) -> dict[str, str]:
    """The index gives exactly the full read's tally and problems: once written, and
    after a ``git pull`` behind caselog's back (files changed, deleted, added by git
    in the copy, or directly when it is no repository)."""
    out = {}
    out["index = full read"] = _compare(root)
    out["after a pull: index = full read"] = _compare(root, pull=True)
    return out


def _truth(root: Path):
    from store.domain.summary import Tally
    from store.folder.datafolder import DataFolder

    data = DataFolder(root)
    settings = data.settings()
    result = data.load(settings)  # codec (tomllib), file by file: no index, no fast path
    return Tally.of(settings, result.inquiries.values(), result.appeals.values()), result.problems


def _through_index(root: Path):
    from store.folder.datafolder import DataFolder
    from store.index import load as index

    data = DataFolder(root)
    loaded = index.load_fresh(data, data.settings(), records=False)
    return loaded.tally, loaded.result.problems


def _compare(root: Path, pull: bool = False) -> str:
    from store.folder.datafolder import DataFolder
    from store.index import file as index_file
    from store.index import load as index

    if not index_file.index_path(root).exists():
        index.load_fresh(DataFolder(root), DataFolder(root).settings(), records=False)
    if pull:
        how = pull_behind_back(root)
    tally, problems = _through_index(root)
    truth_tally, truth_problems = _truth(root)
    key = lambda p: repr((p.path, p.line, p.col, p.code, sorted(p.params.items())))  # noqa: E731
    ok_tally = {p: c for p, c in tally.periods.items() if not c.is_empty()} == \
        {p: c for p, c in truth_tally.periods.items() if not c.is_empty()}
    ok_problems = sorted(map(key, problems)) == sorted(map(key, truth_problems))
    verdict = "ok" if ok_tally and ok_problems else \
        f"DIFFERENT (tally {'ok' if ok_tally else 'differs'}, problems " \
        f"{'ok' if ok_problems else f'differ: {len(problems)} vs {len(truth_problems)}'})"
    return verdict + (f" ({how})" if pull else "")


_KIND = re.compile(r'^(\s*"?kind"?\s*=\s*)(["\'])(complaint|inquiry)\2', re.M)


def pull_behind_back(root: Path, share: float = 0.01) -> str:
    """Change about ``share`` of the inquiries (their kind), delete a few, add a few (a
    copy of a file under a new id): with git, committed in a clone and pulled into
    ``root``; else written directly."""
    import random

    rng = random.Random(13)
    git = (root / ".git").exists()
    where = root
    if git:
        other = root.parent / "other"
        subprocess.run(["git", "clone", "-q", str(root), str(other)], check=True)
        where = other
    files = sorted(p for p in _record_files(where) if "/inquiries/" in p)
    changed = deleted = added = 0
    for p in rng.sample(files, max(1, int(len(files) * share))):
        text = Path(p).read_text(encoding="utf-8")
        new = _KIND.sub(lambda m: m.group(1) + m.group(2) + (
            "inquiry" if m.group(3) == "complaint" else "complaint") + m.group(2), text, count=1)
        if new != text:
            Path(p).write_text(new, encoding="utf-8")
            changed += 1
    for p in rng.sample(files, 5):
        if os.path.exists(p):
            os.unlink(p)
            deleted += 1
    alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
    for p in rng.sample(files, 5):
        if not os.path.exists(p):
            continue
        old_id = Path(p).stem
        new_id = old_id[:11] + "".join(rng.choice(alphabet) for _ in range(4))
        q = Path(p).with_name(new_id + ".toml")
        if not q.exists():
            q.write_text(Path(p).read_text(encoding="utf-8").replace(old_id, new_id),
                         encoding="utf-8")
            added += 1
    if git:
        env = dict(os.environ, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.dk",
                   GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.dk")
        subprocess.run(["git", "add", "-A"], cwd=where, check=True, env=env)
        subprocess.run(["git", "commit", "-qm", "outside"], cwd=where, check=True, env=env)
        subprocess.run(["git", "pull", "-q", "--ff-only", str(where), "HEAD"], cwd=root,
                       check=True, env=env, capture_output=True)
        shutil.rmtree(where, ignore_errors=True)
    return f"{changed} changed, {deleted} deleted, {added} added" + (" by git pull" if git else "")


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
    if key.startswith("rss"):
        return f"{v:.0f}"
    return f"{v * 1000:.0f} ms" if v < 1 else f"{v:.2f} s"


def cell(vals: list[float], key: str) -> str:
    if not vals:
        return "n/a"
    med = statistics.median(vals)
    return f"{fmt(med, key)} ({fmt(min(vals), key)}-{fmt(max(vals), key)})"


def compile_sources() -> str:
    """Write caselog's bytecode before measuring, as a first start does for a
    user. Where ``PYTHONDONTWRITEBYTECODE`` is set (as on some build machines)
    no start would ever write it, and each would compile every module of ours
    again (0.15-0.35 s): a cost no user has. The line says which it was."""
    import compileall

    ok = all([compileall.compile_dir(str(REPO / d), quiet=1) for d in ("store", "tui", "benchmarks")])
    how = "written before measuring" if ok else "could not all be written"
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        how += " (PYTHONDONTWRITEBYTECODE is set here: starts would not write it)"
    global COMPILED
    COMPILED = f"caselog's bytecode {how}."
    return COMPILED


COMPILED = ""  # what compile_sources said, for the machine line


def machine_line(runs: int) -> str:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        parser = f"toml-rs {importlib.metadata.version('toml-rs')}"
    except importlib.metadata.PackageNotFoundError:
        parser = "tomllib only"
    return (f"Machine: {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
            f"{parser}; load average at start {os.getloadavg()[0]:.1f}; {runs} runs each."
            + (f" {COMPILED}" if COMPILED else ""))


def report_folder(src: Path, res: dict, runs: int) -> str:
    """The table of an existing folder's figures: target, measured, floor, ratio, load."""
    lines = [f"Folder {src}: {res['files'][0]:,} record files; measured on a copy.", "",
             machine_line(runs), ""]
    fl = statistics.median(res["floor_warm"])
    lines.append("| figure | target | measured: median (min-max) | floor (warm) | ratio | "
                 "load (1 min) |")
    lines.append("|---|---|---|---|---|---|")
    for key, (label, target) in FOLDER_FIGURES.items():
        vals = res.get(key, [])
        if not vals:
            lines.append(f"| {label} | {target or ''} | n/a | | | |")
            continue
        med = statistics.median(vals)
        if key.startswith("floor"):
            ratio = f"{med / fl:.2f}x warm floor"
        elif isinstance(target, str):  # "2x floor"
            ratio = f"{med / fl:.1f}x floor (target {target})"
        else:
            ratio = f"{med / target:.2f}x target" + (" OVER" if med > target else "")
        t = "" if target is None else (target if isinstance(target, str) else fmt(target, key))
        loads = res.get(key + "@load", [])
        load = f"{statistics.median(loads):.1f}" if loads else ""
        lines.append(f"| {label} | {t} | {cell(vals, key)} | {fmt(fl, key)} | {ratio} | {load} |")
    lines.append("")
    if "warning_lines" in res:
        lines.append(f"Warning lines that report prints on stderr (files 0644): "
                     f"{res['warning_lines'][0]:,}.")
    if res.get("tmux_progress"):
        seen = sum(bool(x) for x in res["tmux_progress"])
        lines.append(f"First open in tmux: the progress screen was seen in {seen} of "
                     f"{len(res['tmux_progress'])} runs.")
    for name, verdict in res.get("correct", {}).items():
        lines.append(f"Correctness: {name}: {verdict}.")
    lines.append("")
    if "headless" in res:
        lines.append("Headless figures (benchmarks/run.py's, App.run_test) on the same copy:")
        lines.append("")
        lines.append(report({res["files"][0]: res["headless"]}, runs, app_ready(),
                            machine=False))
    return "\n".join(lines) + "\n"


def growth(results: dict[int, dict[str, list[float]]]) -> str:
    """How each figure grows with the size: its median at each size, and the factor from
    one size to the next beside the factor of the sizes."""
    sizes = sorted(results)
    steps = list(zip(sizes, sizes[1:], strict=False))
    head = "| figure | " + " | ".join(f"{n:,}" for n in sizes) + " | " + " | ".join(
        f"{a // 1000}k -> {b // 1000}k (size x{b / a:.0f})" for a, b in steps) + " |"
    lines = [head, "|" + "---|" * (1 + 2 * len(sizes) - 1)]
    for key in TARGETS:
        meds = [statistics.median(results[n][key]) if results[n].get(key) else None for n in sizes]
        if all(m is None for m in meds):
            continue
        cells = [fmt(m, key) if m is not None else "n/a" for m in meds]
        factors = [f"x{b / a:.2f}" if a and b else "n/a" for a, b in zip(meds, meds[1:], strict=False)]
        lines.append(f"| {LABELS[key]} | " + " | ".join(cells) + " | " + " | ".join(factors) + " |")
    return "\n".join(lines) + "\n"


def report(results: dict[int, dict[str, list[float]]], runs: int, use_app: bool,
           machine: bool = True) -> str:
    lines = []
    if machine:
        lines.append(machine_line(runs))
        lines.append("")
    lines.append("Process figures are wall time from starting `python` until ready "
                 "(interpreter start included: " + ", ".join(
                     f"{fmt(statistics.median(results[n]['start']), 'x')} at {n:,}" for n in sorted(results))
                 + "). Keys: process CPU in the headless app (App.run_test), pilot overhead "
                 "included. Save: Workspace.save (fsync of file and folder), then every widget's "
                 "messages handled and the screen drawn (the running app draws at its next "
                 "frame, at most 1/60 s later; the pilot's idle wait of 20 ms or more is not "
                 "counted). Load: the 1-minute load average at the start and end of each size's "
                 "runs: " + ", ".join(
                     f"{n:,}: " + "/".join(f"{x:.1f}" for x in results[n].get("load", []))
                     for n in sorted(results)) + ".")
    lines.append("")
    if not use_app:
        lines.append("Key, summary and save rows: n/a (app not ready); open = import Textual + "
                     "Workspace.open from the index.")
        lines.append("")
    sizes = sorted(results)
    big = [n for n in sizes if n >= 300_000]
    head = "| figure | target (100k) | " + ("target (300k) | " if big else "") + " | ".join(
        f"{n:,}: median (min-max)" for n in sizes) + " | vs target |"
    lines.append(head)
    lines.append("|" + "---|" * (3 + len(sizes) + bool(big)))
    for key, target in TARGETS.items():
        if key == "tmux_open" and not any(results[n].get(key) for n in sizes):
            continue  # not measured (headless only)
        cells = []
        for n in sizes:
            vals = results[n].get(key, [])
            if not vals:
                cells.append("n/a (app not ready)" if key.startswith(
                    ("key", "filter", "summary", "save", "settled", "stall")) and not use_app
                             else "n/a")
                continue
            med = statistics.median(vals)
            c = cell(vals, key)
            fl = statistics.median(results[n]["floor"])
            if key == "open_noindex":
                written = statistics.median(results[n]["noindex_load"])
                c += f" = {med / fl:.1f}x floor; index written at {fmt(written, key)}"
            if key == "check":
                start = statistics.median(results[n]["start"])
                c += f"; less interpreter start {(med - start) / fl:.1f}x floor"
            cells.append(c)
        t = "" if target is None else (target if isinstance(target, str) else fmt(target, key))
        row = f"| {LABELS[key]} | {t} | "
        if big:
            t3 = TARGETS_300K.get(key)
            row += (fmt(t3, key) if t3 is not None else "") + " | "
        verdicts = []
        for n in sizes:
            tn = TARGETS_300K.get(key, target) if n >= 300_000 else target
            vals = results[n].get(key, [])
            if not vals or tn is None:
                continue
            med = statistics.median(vals)
            if isinstance(tn, str):
                r = med / statistics.median(results[n]["floor"]) / 2
            else:
                r = med / tn
            if n >= 100_000:  # the targets are for 100k (at 300k: TARGETS_300K)
                verdicts.append(f"{n // 1000}k: {r:.2f}" + (" OVER" if r > 1 else ""))
        lines.append(row + " | ".join(cells) + " | " + ", ".join(verdicts) + " |")
    lines.append("")
    lines.append("vs target: the median over the target (1.00 = at the target; for \"2x floor\" "
                 "the median over twice the floor), at 100k and above.")
    if len(sizes) >= 3:
        lines.append("")
        lines.append("How each figure grows (medians):")
        lines.append("")
        lines.append(growth(results))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,10000")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--out", help="also write the table to this file")
    p.add_argument("--folder", help="measure on a copy of this existing folder (never changed)")
    p.add_argument("--no-headless", action="store_true",
                   help="--folder: leave out the headless app figures (a few minutes at 100k)")
    p.add_argument("--keep", help="--folder: keep the copy here afterwards (for profiling)")
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
    compiled = compile_sources()
    print(compiled, file=sys.stderr, flush=True)
    if args.folder:
        src = Path(args.folder).resolve()
        res = measure_folder(src, args.runs, headless=not args.no_headless,
                             keep=Path(args.keep) if args.keep else None)
        text = report_folder(src, res, args.runs)
        print(text)
        if args.out:
            Path(args.out).write_text(text)
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
