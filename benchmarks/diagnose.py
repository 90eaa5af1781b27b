"""Where a folder's reading time goes, step by step (one process, no workers).

    python -m benchmarks.diagnose FOLDER

Prints, for the record files of FOLDER: how many take ``fastread.Canonical``'s
fast path, how many toml-rs and how many tomllib (and why a file is not
canonical, by what it holds), the time of each path; the problems by code and
what making, sorting, formatting and printing them costs; and the steps of a
``report`` with the index present (index read, ``stat_tree``, the problems
rebuilt, the warnings formatted). The folder is only read (an index must be
there for the last part: run ``caselog report FOLDER`` once first).
"""

from __future__ import annotations

import io
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

_TIME = re.compile(r"[0-9]:[0-9]")


def _t(fn, *a, **k):
    t0 = time.perf_counter()
    out = fn(*a, **k)
    return time.perf_counter() - t0, out


def paths(root: Path) -> None:
    from store.domain.cpr import maybe_cpr
    from store.folder import parse
    from store.folder.canonical import Canonical
    from store.folder.datafolder import DataFolder
    from store.folder.reading import file_warnings, read_bytes
    from store.format import codec
    from store.index.tree import walk

    data = DataFolder(root)
    settings = data.settings()
    t_walk, (found, _scan, _) = _t(walk, root, False)
    print(f"walk (scandir, no stats): {len(found):,} files in {t_walk * 1000:.0f} ms")
    canonical = Canonical(settings, partial=True)
    count: Counter = Counter()
    times: Counter = Counter()
    why: Counter = Counter()
    raws = []
    for kind_dir, rel in found:
        with open(os.path.join(root, rel), "rb") as f:
            raws.append((kind_dir, rel, f.read(), os.fstat(f.fileno()).st_mode))
    for kind_dir, rel, raw, mode in raws:
        t0 = time.perf_counter()
        cpr = maybe_cpr(raw)
        row = None if cpr else canonical.row(raw, kind_dir, rel)
        t1 = time.perf_counter()
        times["maybe_cpr + Canonical.row (every file)"] += t1 - t0
        if row is not None:
            count["canonical"] += 1
            if mode & 0o077:
                file_warnings(row[1], kind_dir, rel, mode)
                times["canonical: file_warnings"] += time.perf_counter() - t1
            continue
        if cpr:
            count["maybe_cpr (full CPR check)"] += 1
        text = raw.decode("utf-8", "replace")
        path = "toml-rs" if parse.safe_for_fast(text) else "tomllib"
        if path == "toml-rs" and parse._fast(text) is None:
            path = "tomllib (toml-rs refused)"
        count[path] += 1
        for label, hit in (("CR (CRLF file)", "\r" in text), ("{ (inline table)", "{" in text),
                           ("digit:digit (time-like)", _TIME.search(text) is not None),
                           ("\\ (escape)", "\\" in text), ("# (comment)", "#" in text),
                           ("' (literal string)", "'" in text)):
            if hit:
                why[(path, label)] += 1
        t2 = time.perf_counter()
        read_bytes(raw, kind_dir, rel, mode, settings, quick_cpr=True)
        times[f"{path}: folder.read_bytes"] += time.perf_counter() - t2
    total = len(raws)
    print("\nWhich path each file takes (fastread.read_files' order):")
    for k, n in count.most_common():
        print(f"  {k:32} {n:8,}  {100 * n / total:5.1f} %")
    print("\nWhat the files not canonical hold (a file may count under several):")
    for (path, label), n in sorted(why.items()):
        print(f"  {path:26} {label:26} {n:8,}")
    print("\nTime, one process:")
    for k, v in times.items():
        print(f"  {k:44} {v:7.2f} s")
    # A canonical file, for the cost of the fast path itself
    t0 = time.perf_counter()
    for _kind_dir, _rel, raw, _mode in raws:
        raw.decode("utf-8")
    print(f"  {'(decode only, every file)':44} {time.perf_counter() - t0:7.2f} s")
    t0 = time.perf_counter()
    for _kind_dir, rel, raw, _mode in raws:
        codec._parse(raw.decode("utf-8"), rel)
    print(f"  {'(tomllib.loads only, every file)':44} {time.perf_counter() - t0:7.2f} s")


def problems(root: Path) -> None:
    from store.folder import rowcodec
    from store.folder.datafolder import DataFolder
    from store.index import file as index_file
    from store.index import load as index_load
    from store.index import tree as index_tree

    data = DataFolder(root)
    settings = data.settings()
    print("\nA report with the index present, step by step (index.load_fresh, records=False):")
    t, payload = _t(index_file._read_payload, root)
    size = index_file.index_path(root).stat().st_size
    print(f"  _read_payload (read, blake2b, marshal.loads): {t * 1000:6.0f} ms  ({size / 1e6:.1f} MB)")
    columns, scan_rows, tally_rows = payload
    n_prob = sum(len(p) for _i, p in columns[2])
    print(f"    files {len(columns[0]):,}, with problems {len(columns[2]):,}, problem rows {n_prob:,}")
    t, stats = _t(lambda: dict(zip(columns[0], columns[1], strict=True)))
    print(f"  stats dict: {t * 1000:6.0f} ms")
    tree = index_tree.Tree(with_keys=False)
    t, changed = _t(index_tree.verify, root, stats, [], tree)
    print(f"  verify (stat_tree + compare): {t * 1000:6.0f} ms, {len(changed)} changed")
    t, _ = _t(index_tree.stat_tree, root)
    print(f"    stat_tree alone: {t * 1000:6.0f} ms")
    t, loaded = _t(index_load._problems_only, settings, columns, [], stats,
                   index_file._tally_from_rows(settings, tally_rows))
    print(f"  _problems_only (Problem objects from rows): {t * 1000:6.0f} ms, "
          f"{len(loaded.result.problems):,} problems")
    codes = Counter(p.code for p in loaded.result.problems)
    print("    by code: " + ", ".join(f"{c} {n:,}" for c, n in codes.most_common()))
    probs = loaded.result.problems
    t, ordered = _t(sorted, probs, key=lambda p: (p.path, p.line or 0))
    print(f"  sorted by path: {t * 1000:6.0f} ms")
    t, lines = _t(lambda: [p.format("da") for p in ordered])
    print(f"  Problem.format of each: {t * 1000:6.0f} ms")
    buf = io.StringIO()
    t, _ = _t(lambda: [print(w, file=buf) for w in lines])
    print(f"  print each to a buffer: {t * 1000:6.0f} ms ({len(buf.getvalue()) / 1e6:.1f} MB)")
    from store.domain.summary import build_report, to_json

    period = loaded.tally.default_period(__import__("datetime").date.today())
    t, rep = _t(build_report, loaded.tally, period, lines)
    print(f"  build_report: {t * 1000:6.0f} ms")
    import json

    t, text = _t(lambda: json.dumps(to_json(rep), ensure_ascii=False, indent=2))
    print(f"  json.dumps (the warnings are in it: {len(text) / 1e6:.1f} MB): {t * 1000:6.0f} ms")
    t, _ = _t(lambda: [rowcodec.problem_of(r) for _i, p in columns[2] for r in p])
    print(f"  (problem_of alone: {t * 1000:.0f} ms)")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0]).resolve()
    paths(root)
    from store.index import file as index_file

    if index_file.index_path(root).exists():
        problems(root)
    else:
        print("\n(no index: run caselog report FOLDER once for the index part)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
