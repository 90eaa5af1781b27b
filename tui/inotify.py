"""Linux inotify through ctypes: being told when a folder's files change.

The folder watcher (tui/watch.py) polls; with inotify it also hears at once
that a file in a watched folder was written, created, moved or deleted, also
an in-place edit that leaves the folder's own mtime alone, so such a change
shows within a fraction of a second instead of at the watcher's next slow
round. Where inotify is missing (not Linux, no libc symbol, the watch limit
reached) ``Inotify.open()`` returns None, or ``add`` False, and polling alone
does the work.
"""

from __future__ import annotations

import ctypes
import errno
import os
import select
import struct

IN_MODIFY = 0x00000002
IN_ATTRIB = 0x00000004
IN_CLOSE_WRITE = 0x00000008
IN_MOVED_FROM = 0x00000040
IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_DELETE = 0x00000200
IN_DELETE_SELF = 0x00000400
IN_MOVE_SELF = 0x00000800
IN_Q_OVERFLOW = 0x00004000
IN_IGNORED = 0x00008000
IN_ONLYDIR = 0x01000000
IN_DONT_FOLLOW = 0x02000000

IN_NONBLOCK = os.O_NONBLOCK
IN_CLOEXEC = os.O_CLOEXEC

FOLDER_EVENTS = (IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO
                 | IN_CREATE | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF)

_EVENT = struct.Struct("iIII")  # wd, mask, cookie, len (then len bytes of name)


class Inotify:
    """One inotify instance: folders added by path, events read as (path, name)."""

    def __init__(self, fd: int, libc) -> None:
        self.fd = fd
        self._libc = libc
        self._paths: dict[int, str] = {}  # watch descriptor -> the key it was added with
        self._wds: dict[str, int] = {}

    @classmethod
    def open(cls) -> Inotify | None:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            init = libc.inotify_init1
            libc.inotify_add_watch.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32)
            libc.inotify_rm_watch.argtypes = (ctypes.c_int, ctypes.c_int)
        except (OSError, AttributeError, TypeError):  # no C library to ask (Windows)
            return None
        fd = init(IN_NONBLOCK | IN_CLOEXEC)
        if fd < 0:
            return None
        return cls(fd, libc)

    def add(self, path: str, key: str) -> bool:
        """Watch the folder ``path`` (never following a link); its events come as ``key``."""
        if key in self._wds:
            return True
        wd = self._libc.inotify_add_watch(self.fd, os.fsencode(path),
                                          FOLDER_EVENTS | IN_ONLYDIR | IN_DONT_FOLLOW)
        if wd < 0:
            return False
        self._paths[wd] = key
        self._wds[key] = wd
        return True

    def remove(self, key: str) -> None:
        wd = self._wds.pop(key, None)
        if wd is not None:
            self._paths.pop(wd, None)
            self._libc.inotify_rm_watch(self.fd, wd)

    def watched(self) -> set[str]:
        return set(self._wds)

    def wait(self, timeout: float) -> bool:
        """Whether events are waiting (within ``timeout`` seconds)."""
        try:
            ready, _, _ = select.select([self.fd], [], [], timeout)
        except (OSError, ValueError):
            return False
        return bool(ready)

    def read(self) -> tuple[set[str], bool]:
        """The keys of the folders that had events, and whether events were lost
        (the kernel's queue overflowed: look at everything)."""
        keys: set[str] = set()
        overflow = False
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                break
            except OSError as e:
                if e.errno == errno.EINTR:
                    continue
                break
            if not data:
                break
            i = 0
            while i + _EVENT.size <= len(data):
                wd, mask, _cookie, length = _EVENT.unpack_from(data, i)
                i += _EVENT.size + length
                if mask & IN_Q_OVERFLOW:
                    overflow = True
                    continue
                key = self._paths.get(wd)
                if key is None:
                    continue
                keys.add(key)
                if mask & IN_IGNORED:  # the folder is gone (or unmounted): its watch too
                    self._paths.pop(wd, None)
                    self._wds.pop(key, None)
        return keys, overflow

    def close(self) -> None:
        if self.fd >= 0:
            try:
                os.close(self.fd)
            except OSError:
                pass
            self.fd = -1
