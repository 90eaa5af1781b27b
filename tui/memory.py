"""Keeping the app's memory down at 100,000 records.

glibc's malloc gives every thread that allocates its own arena (up to eight
per core) and keeps what is freed there for that thread. The app's background
threads (the index check, the search texts, the notes read for the search)
build and drop a great many strings, and each arena keeps its high-water mark:
at 100,000 records about 20 MB more than with two arenas. ``limit_arenas``
asks for at most two, as ``MALLOC_ARENA_MAX=2`` would; it must run before any
thread starts, and does nothing where the C library is not glibc. ``trim``
gives back what is free, after the list's search texts are dropped at quit.
"""

from __future__ import annotations

import ctypes

M_ARENA_MAX = -8  # glibc's mallopt parameter number


def limit_arenas(n: int = 2) -> bool:
    """Ask glibc for at most ``n`` malloc arenas; whether it took the setting."""
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the interpreter runs on
    except (OSError, AttributeError, TypeError):  # TypeError: no CDLL(None) on Windows
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    try:
        return mallopt(M_ARENA_MAX, n) == 1
    except OSError:  # pragma: no cover
        return False


def trim() -> bool:
    """Give the memory glibc's malloc keeps free back to the system
    (``malloc_trim``): after much is dropped at once, before more is made (the
    index written at quit). Whether it could; nothing where it is not glibc."""
    try:
        malloc_trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):
        return False
    malloc_trim.argtypes = (ctypes.c_size_t,)
    malloc_trim.restype = ctypes.c_int
    try:
        malloc_trim(0)
    except OSError:  # pragma: no cover
        return False
    return True
