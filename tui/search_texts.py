"""The list's search texts, kept in a file instead of the process's memory.

A record's search text is its fields (id, date, title, names of its department
and themes, citizen data) and its notes, lower-cased, in UTF-8. At 300,000
inquiries they are about 280 MB: held as strings in the app they were more than
a third of its memory. Here each text is appended (then a NUL) to an unnamed
temporary file in the data folder's ``.caselog`` folder: the file has no name
in any folder (``O_TMPFILE`` where the system has it, otherwise unlinked at
once), is private to its owner (0600), lives on the same disk as the records
it copies, and is gone when the app exits, however it exits. Its pages are the
system's file cache, which it can drop under pressure; the process holds only
each text's place.

A word is looked for in two ways:

* ``has(entry, words)``: one text read (``os.pread``) and looked in: for the
  first screen of rows, and for a filter over a few rows;
* ``scan(word, deadline)``: the whole file read in large parts, ``bytes.find``
  over each (in C), which gives the entries holding the word (a byte per entry,
  1 where it is found: 600 KB at 600,000 entries, where a set of them was 36 MB);
  kept for the last few words, and carried on over what was added since.

An entry is never rewritten: a record's new text is a new entry, the old one is
left (the file grows by what changes during a session). Where no file can be
made (a folder that cannot be written) the texts are kept in memory, in one
``bytearray``, and looked in the same way: nothing personal is written
anywhere else.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from pathlib import Path

SEP = b"\0"  # after every text: a word (never holding a NUL) is found within one text
SCAN_PART = 4 << 20  # bytes read and looked through per step of a scan
KEEP_SCANS = 8  # words whose found entries are kept


class Texts:
    """The search texts of the list's records, each an entry: ``put_many`` adds,
    ``entry`` maps a record's id to its live entry."""

    def __init__(self, folder: Path | None = None) -> None:
        # Entry i: bytes starts[i] .. starts[i + 1] - 1 (its NUL). An entry replaced
        # or dropped stays in the file, and no record's ``entry`` names it any more.
        self.starts = array("q", [0])
        self.entry: dict[str, int] = {}  # record id -> its live entry
        self._found: dict[bytes, tuple[bytearray, int]] = {}  # word -> (found, scanned to)
        self._dir = folder
        self._file = None  # made at the first text (the folder may come later: the index's)
        self._mem: bytearray | None = None  # the texts, where no file could be made

    def _open(self) -> None:
        if self._dir is not None:
            with contextlib.suppress(OSError):
                os.makedirs(self._dir, mode=0o700, exist_ok=True)
                self._file = tempfile.TemporaryFile(dir=self._dir, buffering=0)
                return
        self._mem = bytearray()

    @property
    def in_file(self) -> bool:
        return self._file is not None

    def __len__(self) -> int:
        """How many records have a text."""
        return len(self.entry)

    @property
    def entries(self) -> int:
        """How many entries the file holds, the replaced ones too."""
        return len(self.starts) - 1

    # -- adding ----------------------------------------------------------------------
    def put_many(self, items: Iterable[tuple[str, bytes]]) -> None:
        """Each record's text (lower-cased UTF-8), replacing what it had (b"": none)."""
        entry, starts = self.entry, self.starts
        parts: list[bytes] = []
        end = starts[-1]
        for rid, data in items:
            if not data:
                entry.pop(rid, None)
                continue
            entry[rid] = len(starts) - 1
            parts += (data, SEP)
            end += len(data) + 1
            starts.append(end)
        if parts:
            self._append(b"".join(parts))

    def put(self, rid: str, data: bytes) -> None:
        self.put_many(((rid, data),))

    def pop(self, rid: str) -> None:
        self.entry.pop(rid, None)

    def close(self) -> None:
        """Let go of every text (the file is gone with it)."""
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
        self._file = None
        self._mem = None
        self._dir = None  # (any text put after this is kept in memory)
        self.starts = array("q", [0])
        self.entry = {}
        self._found = {}

    def _append(self, data: bytes) -> None:
        if self._file is None and self._mem is None:
            self._open()
        f = self._file
        if f is not None:
            try:
                view = memoryview(data)
                at = self.starts[-1] - len(data)
                while view:  # (a raw write may take a part)
                    n = os.pwrite(f.fileno(), view, at) if _PWRITE else _seek_write(f, view, at)
                    view, at = view[n:], at + n
                return
            except OSError:  # a full disk: the texts go on in memory, those written read back
                self._to_memory(self.starts[-1] - len(data))
        self._mem += data  # type: ignore[operator]

    def _to_memory(self, written: int) -> None:
        f, self._file = self._file, None
        try:
            self._mem = bytearray(self._read_file(f, 0, written))
        except OSError:  # the file cannot be read either: the texts written are lost to the filter
            self._mem = bytearray(written)
        with contextlib.suppress(OSError):
            f.close()
        self._found = {}

    # -- reading -----------------------------------------------------------------------
    def _read(self, start: int, end: int) -> bytes:
        if self._file is None:
            return bytes(self._mem[start:end]) if self._mem is not None else b""
        try:
            return self._read_file(self._file, start, end - start)
        except OSError:
            return b""  # (the filter then shows what it finds elsewhere)

    @staticmethod
    def _read_file(f, start: int, n: int) -> bytes:
        if _PWRITE:
            parts = []
            while n > 0:
                b = os.pread(f.fileno(), n, start)
                if not b:
                    break
                parts.append(b)
                start, n = start + len(b), n - len(b)
            return b"".join(parts) if len(parts) != 1 else parts[0]
        f.seek(start)
        return f.read(n)

    def text(self, entry: int) -> bytes:
        """One entry's text."""
        return self._read(self.starts[entry], self.starts[entry + 1] - 1)

    def has(self, entry: int, words: list[bytes]) -> bool:
        """Whether one entry's text holds every one of ``words``."""
        text = self.text(entry)
        return all(w in text for w in words)

    def scanned(self, word: bytes) -> bytearray | None:
        """Where ``word`` is (``found[entry]`` is 1 where it is), if a scan has looked
        at every entry."""
        got = self._found.get(word)
        if got is None or got[1] < self.entries:
            return None
        return got[0]

    def scan(self, word: bytes, deadline: float | None = None) -> bytearray | None:
        """Where ``word`` is: ``found[entry]`` is 1 for each entry holding it (a dead
        entry may be among them: look up a live one); None when ``deadline``
        (``time.perf_counter``) came first: call again to go on. A part that
        cannot be read counts as holding nothing, and what is found is then
        not kept for the next scan."""
        if SEP in word:
            raise ValueError("a word with a NUL")
        found, upto = self._found.pop(word, (bytearray(), 0))
        self._found[word] = (found, upto)  # the latest word last
        while len(self._found) > KEEP_SCANS:
            del self._found[next(iter(self._found))]
        starts, n = self.starts, self.entries
        if len(found) < n:
            found.extend(bytes(n - len(found)))
        broken = False
        while upto < n:
            first = starts[upto]
            # whole entries of about SCAN_PART bytes (at least one)
            last = max(bisect_left(starts, first + SCAN_PART, upto + 1, n), upto + 1)
            data = self._read(first, starts[last])
            find = data.find
            at = find(word)
            while at >= 0:
                e = bisect_right(starts, first + at, upto, last) - 1
                found[e] = 1
                at = find(word, starts[e + 1] - first)
            upto = last
            if len(data) != starts[last] - first:
                broken = True  # (a failed read: finished now, looked at again next time)
                self._found.pop(word, None)
            if broken:
                continue
            self._found[word] = (found, upto)
            if deadline is not None and upto < n and time.perf_counter() > deadline:
                return None
        return found


_PWRITE = hasattr(os, "pwrite") and hasattr(os, "pread")


def _seek_write(f, view: memoryview, at: int) -> int:
    f.seek(at)
    return f.write(view) or 0
