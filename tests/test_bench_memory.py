"""The benchmark's peak memory figure is the measured process's own."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.run import run_child  # noqa: E402


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux: VmHWM")
def test_a_childs_peak_memory_is_its_own_not_its_parents():
    # Linux carries ru_maxrss over the exec from the process that started the child:
    # a parent holding 200 MB made every child report at least 200 MB.
    held = bytearray(200 << 20)
    held[::4096] = b"\1" * len(range(0, len(held), 4096))  # every page touched: resident
    _t, figures = run_child(["-c", "from benchmarks.run import _ready; _ready()"])
    assert 1 < figures["rss_mb"] < 100
    _t, figures = run_child(["-c", "from benchmarks.run import _ready; "
                                   "x = bytearray(150 << 20); x[::4096] = b'1' * len(x[::4096]); "
                                   "_ready()"])
    assert 150 < figures["rss_mb"] < 250
    del held
