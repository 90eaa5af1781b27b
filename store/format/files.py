"""Safe file writing: atomic, private to the owner; making a folder private again."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from .layout import APPEALS, INQUIRIES

FILE_MODE = 0o600
DIR_MODE = 0o700


def ensure_dir(path: Path) -> None:
    """Create a folder (and its parents) readable by the owner only."""
    missing = []
    p = Path(path)
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=DIR_MODE)
        except FileExistsError:
            pass
        os.chmod(d, DIR_MODE)


def atomic_write(path: Path, data: bytes | Sequence[bytes]) -> None:
    """Write ``data`` to ``path`` so that it holds the old bytes or the new, never a mix.

    ``data``: the bytes, or their parts in order (not joined first).

    A temporary file in the same folder is written, flushed and synced, then
    renamed over the target; the folder is synced so the rename survives a
    crash. The file is readable by its owner only, whatever the umask.
    """
    with atomic_writer(path) as f:
        for part in (data,) if isinstance(data, (bytes, bytearray, memoryview)) else data:
            f.write(part)


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """``atomic_write`` for a writer that makes its bytes as it goes (the index:
    tens of megabytes, made a part at a time): the file to write (and seek in);
    it replaces ``path`` when the block ends without an exception."""
    path = Path(path)
    ensure_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    sync_dir(path.parent)


def sync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------
# Private again: a clone's files are as the umask left them

def is_private(root: Path | str) -> bool:
    """Whether the data folder itself is closed to others (as caselog makes it)."""
    try:
        return not os.stat(root).st_mode & 0o077
    except OSError:
        return True


def tighten(root: Path | str, rels: Iterable[str] | None = None) -> list[str]:
    """Make what caselog keeps private again, where this user owns it: the folder
    and the record folders 0700 (group and other bits cleared), the record files
    and every file below them likewise (0644 -> 0600). ``rels``: only these files (paths relative to the
    folder); None: the folder and everything below its record folders. Files of
    other users and links are left as they are, and nothing is reached through
    a link (a folder opened through one is its target). Returns the files whose
    mode changed (relative paths)."""
    root = os.path.realpath(root)
    me = os.geteuid() if hasattr(os, "geteuid") else None
    changed: list[str] = []

    def close(path: str, rel: str | None) -> None:
        try:
            st = os.lstat(path)
        except OSError:
            return
        if stat.S_ISLNK(st.st_mode) or not st.st_mode & 0o077:
            return
        if me is not None and st.st_uid != me:
            return
        try:
            os.chmod(path, stat.S_IMODE(st.st_mode) & ~0o077)
        except OSError:
            return
        if rel is not None:
            changed.append(rel)

    if rels is not None:
        plain: set[str] = set()  # folders seen to be folders, not links

        def inside(rel: str) -> bool:
            """Whether every folder from the root to ``rel`` is one, no link among them."""
            path = root
            for part in rel.split("/")[:-1]:
                if part in ("", ".", ".."):
                    return False
                path = os.path.join(path, part)
                if path not in plain:
                    try:
                        if not stat.S_ISDIR(os.lstat(path).st_mode):
                            return False
                    except OSError:
                        return False
                    plain.add(path)
            return True

        for rel in rels:
            if inside(rel):
                close(os.path.join(root, rel), rel)
        return changed
    close(root, None)
    for top in (INQUIRIES, APPEALS):
        base = os.path.join(root, top)
        if os.path.islink(base) or not os.path.isdir(base):
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            close(dirpath, None)
            dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
            rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
            for name in filenames:  # records, conflict copies: all of them caselog's
                close(os.path.join(dirpath, name), f"{rel_dir}/{name}")
    return changed
