"""benchmarks/outside.py writes what it says it writes.

The generator makes TOML by hand in layouts caselog never writes; here a
small folder is read back with caselog's full reader (every value as
planned, only the intended warnings) and ``caselog report --format json``
is compared with tables computed from the plan without caselog's code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import outside  # noqa: E402
from store.domain.taxonomy import default_settings  # noqa: E402
from store.folder.datafolder import DataFolder  # noqa: E402

N = 400
SEED = 7


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    dest = tmp_path_factory.mktemp("outside") / "log"
    inquiries, appeals, seen = outside.generate(N, dest, SEED)
    _age(dest)
    return dest, inquiries, appeals, seen


def _age(dest: Path, seconds: int = 3600) -> None:
    """Every file a while old, as after a clone some time ago: the index keeps its stats
    (a file changed within its racy window is read again each time)."""
    t = os.stat(dest).st_mtime - seconds
    for dirpath, _dirs, files in os.walk(dest):
        for f in files:
            os.utime(os.path.join(dirpath, f), (t, t))


def test_every_layout_is_used(made):
    _dest, inquiries, appeals, seen = made
    assert len(inquiries) == N and len(appeals) == N // 5
    for name in ("literal-string", "escaped-letters", "multiline-basic", "multiline-literal",
                 "key-order", "comment-line", "main-inline", "main-dotted",
                 "follow-up-inline-array", "crlf", "trailing-whitespace", "blank-lines",
                 "quoted-key", "citizen-inline", "table-order"):
        assert seen[name] > 0, name
    texts = [p.read_bytes() for p in (_dest / "inquiries").rglob("*.toml")]
    assert any(b"\r\n" in t for t in texts)
    assert any(b"\\u00" in t for t in texts)
    assert any(b'\\"' in t for t in texts)
    assert any(len(t) > 4000 for t in texts)
    assert any(r.extra for r in inquiries)
    assert any(r.main[0] in outside.UNKNOWN_DEPARTMENTS for r in inquiries)


def test_files_and_folders_as_after_a_clone(made):
    dest = made[0]
    for dirpath, _dirs, files in os.walk(dest / "inquiries"):
        assert os.stat(dirpath).st_mode & 0o777 == 0o755
        for f in files:
            assert os.stat(os.path.join(dirpath, f)).st_mode & 0o777 == 0o644


def test_read_back_as_planned_with_only_the_intended_warnings(made):
    dest, inquiries, appeals, _ = made
    settings = default_settings()
    result = DataFolder(dest).load(settings)  # codec's reader, tomllib: the truth
    assert len(result.inquiries) == N and len(result.appeals) == N // 5
    for r in inquiries:
        got = result.inquiries[r.id]
        assert (got.received, got.kind, got.status, got.closed, got.channel, got.title,
                got.notes) == (r.received, r.kind, r.status, r.closed, r.channel, r.title, r.notes)
        assert (got.main.department, got.main.theme, got.main.subtheme) == r.main
        assert [(p.department, p.theme, p.subtheme) for p in got.follow_up] == r.follow_up
        if r.citizen is None:
            assert got.citizen is None
        else:
            assert {k: getattr(got.citizen, k) for k in r.citizen} == r.citizen
        assert got.extra == r.extra
    for r in appeals:
        got = result.appeals[r.id]
        assert (got.received, got.board, got.department, got.outcome, list(got.remarks),
                got.result, got.notes) == (r.received, r.board, r.department, r.outcome,
                                           r.remarks, r.result or "", r.notes or "")
    expected = Counter()
    for r in inquiries:
        path = outside.rel_path("inquiries", r.id)
        expected[(path, "world-readable")] += 1
        for p in [r.main, *r.follow_up]:
            if p[0] in outside.UNKNOWN_DEPARTMENTS:
                expected[(path, "unknown-department")] += 1
        if r.channel in outside.UNKNOWN_CHANNELS:
            expected[(path, "unknown-channel")] += 1
    for r in appeals:
        path = outside.rel_path("appeals", r.id)
        expected[(path, "world-readable")] += 1
        if r.department in outside.UNKNOWN_DEPARTMENTS:
            expected[(path, "unknown-department")] += 1
    assert Counter((p.path, p.code) for p in result.problems) == expected


# ---------------------------------------------------------------------------
# The report's tables, computed from the plan (REPORT.md), not with store.summary


def _label(d: date) -> str:
    y = d.year if (d.month, d.day) >= (4, 1) else d.year - 1
    return f"{y}/{(y + 1) % 100:02d}"


def _tables(inquiries, appeals, label: str) -> dict:
    s = default_settings()
    alias = {a: d.name for d in s.departments for a in d.aliases}
    dept = lambda name: alias.get(name, name)  # noqa: E731
    kinds = Counter()
    main, follow, cells = Counter(), Counter(), Counter()
    for r in inquiries:
        if _label(r.received) != label:
            continue
        kinds[r.kind] += 1
        if r.kind == "complaint-help":
            continue
        for i, p in enumerate([r.main, *r.follow_up]):
            (main if i == 0 else follow)[dept(p[0])] += 1
            cells[(p[1], p[2], dept(p[0]))] += 1
    outcomes, remarks = Counter(), Counter()
    for r in appeals:
        if _label(r.received) != label:
            continue
        outcomes[(dept(r.department), r.outcome)] += 1
        for x in r.remarks:
            remarks[(x, dept(r.department))] += 1
    return {"kinds": kinds, "main": main, "follow": follow, "cells": cells,
            "outcomes": outcomes, "remarks": remarks}


def _report(dest: Path, label: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), CASELOG_LANG="en")
    out = subprocess.run([sys.executable, "-m", "tui.cli", "report", str(dest), "--period", label,
                          "--format", "json", "--lang", "en"],
                         capture_output=True, text=True, env=env, cwd=str(ROOT), check=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("label", ["2016/17", "2021/22", "2026/27"])
def test_report_equals_the_tables_of_the_plan(made, label):
    dest, inquiries, appeals, _ = made
    want = _tables(inquiries, appeals, label)
    for attempt in ("no index", "index present"):
        got = _report(dest, label)
        assert got["period"]["label"] == label, attempt
        k = want["kinds"]
        assert got["kinds"] == {"complaint": k["complaint"], "inquiry": k["inquiry"],
                                "complaint-help": k["complaint-help"]}, attempt
        assert got["inquiries"] == k["complaint"] + k["inquiry"]
        assert got["points"] == sum(want["main"].values()) + sum(want["follow"].values())
        rows = {r["name"]: (r["main"], r["follow_up"], r["total"]) for r in got["departments"]}
        for name in set(want["main"]) | set(want["follow"]):
            m, f = want["main"][name], want["follow"][name]
            assert rows.pop(name) == (m, f, m + f), (attempt, name)
        assert all(v == (0, 0, 0) for v in rows.values()), attempt
        cells = {}
        for r in got["themes"]:
            if r["subtheme"] is not None:
                for d, n in r["by_department"].items():
                    if n:
                        cells[(r["theme"], r["subtheme"], d)] = n
        assert cells == {k: v for k, v in want["cells"].items() if v}, attempt
        a = got["appeals"]
        oc = want["outcomes"]
        assert a["decisions"] == sum(oc.values())
        assert a["decided"] == sum(n for (_d, o), n in oc.items() if o != "rejected")
        assert a["with_remarks"] == sum(n for (_d, o), n in oc.items() if o == "remarks")
        by = {r["name"]: (r["no_remarks"], r["remarks"], r["rejected"]) for r in a["by_department"]}
        for d in {d for d, _o in oc}:
            assert by.pop(d) == (oc[(d, "no-remarks")], oc[(d, "remarks")], oc[(d, "rejected")])
        assert all(v == (0, 0, 0) for v in by.values())
        rem = {(r["name"], d): n for r in a["remarks"] for d, n in r["by_department"].items() if n}
        assert rem == {k: v for k, v in want["remarks"].items() if v}, attempt
        # the unknown names, one warning each, and one for the world-readable files (all)
        unknown = sum(p[0] in outside.UNKNOWN_DEPARTMENTS for r in inquiries
                      for p in [r.main, *r.follow_up])
        unknown += sum(r.department in outside.UNKNOWN_DEPARTMENTS for r in appeals)
        unknown += sum(r.channel in outside.UNKNOWN_CHANNELS for r in inquiries)
        assert len(got["warnings"]) == unknown + 1, attempt
        assert sum(f" {N + N // 5} " in w for w in got["warnings"]) == 1, attempt


def test_report_after_a_pull_behind_caselogs_back(tmp_path):
    """The index is written; then files change, come and go outside caselog (as a
    ``git pull`` does it); the report from the index equals the new plan's tables."""
    import dataclasses
    import random

    dest = tmp_path / "log"
    inquiries, appeals, _ = outside.generate(N, dest, SEED + 1)
    _age(dest)
    label = "2021/22"
    _report(dest, label)  # writes the index
    assert (dest / ".caselog" / "index").exists()
    rng = random.Random(3)
    s = default_settings()
    seen: Counter = Counter()
    for i in rng.sample(range(len(inquiries)), 40):  # changed
        r = inquiries[i]
        r = inquiries[i] = dataclasses.replace(
            r, kind=rng.choice(("complaint", "inquiry", "complaint-help")),
            main=(rng.choice(s.departments).name, "Andet", "Privatretlige spørgsmål"))
        text = outside.inquiry_text(r, outside.Layout(rng, seen))
        (dest / outside.rel_path("inquiries", r.id)).write_bytes(text.encode())
    for _ in range(3):  # deleted
        r = inquiries.pop(rng.randrange(len(inquiries)))
        (dest / outside.rel_path("inquiries", r.id)).unlink()
    new, _ = outside.make_plan(5, SEED + 2)  # new (their ids are new too)
    for r in new:
        p = dest / outside.rel_path("inquiries", r.id)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(outside.inquiry_text(r, outside.Layout(rng, seen)).encode())
        inquiries.append(r)
    got = _report(dest, label)
    want = _tables(inquiries, appeals, label)
    assert got["kinds"] == {k: want["kinds"][k] for k in ("complaint", "inquiry", "complaint-help")}
    rows = {r["name"]: (r["main"], r["follow_up"]) for r in got["departments"] if r["total"]}
    assert rows == {d: (want["main"][d], want["follow"][d])
                    for d in set(want["main"]) | set(want["follow"])}
