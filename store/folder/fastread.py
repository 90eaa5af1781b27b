"""Reading many record files fast: worker processes, one per core.

``iter_read``/``read_many``: the files read and parsed by worker processes
(one per core, ``python -m store.folder.fastread``, each taking the next
chunk when free), the rows sent back marshalled in chunks and handed on in
order as they come in, with a progress callback. What a worker fails to
deliver is read in this process (``reading.read_files``).
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import pickle
import select
import selectors
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence

from ..domain.taxonomy import Settings
from .canonical import Canonical
from .reading import FileResult, Read, read_files
from .rowcodec import no_gc


def _chunks(seq: Sequence, n: int) -> Iterable[Sequence]:
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def _frame(data: bytes) -> bytes:
    return struct.pack("<Q", len(data)) + data


def _read_exact(f, n: int) -> bytes:
    buf = f.read(n)
    if buf is None or len(buf) != n:
        raise EOFError
    return buf


CHUNK = 500  # files per message from a worker: its rows fit in the pipe (see Pool)


def read_many(
    root: str,
    files: Sequence[tuple[str, str]],
    settings: Settings | None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    chunk: int = CHUNK,
) -> list[FileResult]:
    """Read every file of ``files`` (in order): ``[(kind_dir, rel, key, row, problem rows)]``.

    With more than one core and enough files, worker processes
    (``python -m store.folder.fastread``) read and parse; ``progress(done, total)``
    is called as chunks come in. Anything a worker fails to deliver is read
    here.
    """
    results: list[FileResult] = []
    with no_gc():  # the rows live on: collections would only scan them again and again
        for part, reads in iter_read(root, files, settings, progress, workers, chunk):
            results.extend([(k, rel, *r) for (k, rel), r in zip(part, reads, strict=True)])
    return results


def default_workers() -> int:
    if os.name != "posix":  # the workers share a pipe of chunk numbers (os.pipe, pass_fds)
        return 1
    return min(os.cpu_count() or 1, 8)


def iter_read(
    root: str,
    files: Sequence[tuple[str, str]],
    settings: Settings | None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    chunk: int = CHUNK,
    pool: Pool | None = None,
    partial: bool = False,
) -> Iterator[tuple[Sequence[tuple[str, str]], list[Read]]]:
    """``files`` read in chunks: ``(part of files, [(stat key, row, problem rows)])``, in order.

    In worker processes (``pool``, or started here when there are more than
    one core and enough files), else here. A chunk is given as soon as it
    and all before it are in, so the caller's work overlaps the workers'.
    ``partial``: rows without notes and citizen data (a pool must be started so).
    """
    total = len(files)
    parts = list(_chunks(files, chunk))
    if pool is None:
        if workers is None:
            workers = default_workers()
        if workers > 1 and total >= 4 * chunk:
            pool = Pool(root, settings, workers, partial)
    if pool is None or not parts:
        if pool is not None:
            pool.close()
        canonical = Canonical(settings, partial)
        done = 0
        for part in parts:
            reads = read_files(root, part, settings, canonical)
            done += len(reads)
            if progress is not None:
                progress(done, total)
            yield part, reads
        return
    got: dict[int, list[Read]] = {}
    done = 0
    n = 0  # the next chunk to give
    try:
        for k, reads in pool.run(parts):
            if not 0 <= k < len(parts) or k in got or len(reads) != len(parts[k]):
                continue  # not what was asked for: read again below
            got[k] = reads
            done += len(reads)
            if progress is not None:
                progress(done, total)
            while n in got:
                yield parts[n], got.pop(n)
                n += 1
    finally:
        pool.close()
    canonical = Canonical(settings, partial)
    for k in range(n, len(parts)):
        reads = got.pop(k, None)
        if reads is None:  # a worker failed: read it here
            reads = read_files(root, parts[k], settings, canonical)
            done += len(reads)
            if progress is not None:
                progress(min(done, total), total)
        yield parts[k], reads


_PIPE_SIZE = 1 << 20  # a chunk's rows (a few hundred kB) fit: a worker never waits on us


class Pool:
    """Worker processes (``python -m store.folder.fastread``) reading files for this one.

    ``nice``: at a lower priority, so that an interface in this process stays
    responsive; a command that only waits for the result passes False.

    Start it as early as possible (a worker takes a while to import); it
    waits for ``run``. Every worker gets the list of chunks; the numbers of
    the chunks to read are written, in order, into one pipe that all of them
    read from, 8 bytes at a time (pipe reads and writes of whole numbers are
    atomic), so a worker takes the next chunk as soon as it is free: none
    stays idle while another has work left, and chunks come in about in
    order. A worker sends one message per chunk.
    """

    def __init__(self, root: str, settings: Settings | None, workers: int,
                 partial: bool = False, nice: bool = True) -> None:
        self.procs: list[subprocess.Popen | _Forked] = []
        self.tasks = -1  # the write end of the pipe of chunk numbers
        env = dict(os.environ)
        here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # above store/
        env["PYTHONPATH"] = here + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        header = _frame(pickle.dumps((root, settings, partial), pickle.HIGHEST_PROTOCOL))
        args = [sys.executable, "-m", "store.folder.fastread"]
        try:
            r, self.tasks = os.pipe()
        except OSError:
            return  # no workers: the caller reads everything
        # a command (no other thread) forks its workers; the app starts new interpreters
        fork = hasattr(os, "fork") and threading.active_count() == 1
        try:
            _grow_pipe(self.tasks)
            for _ in range(workers):
                if fork:
                    # (the worker closes the parent's ends of the pipes made before it)
                    theirs = [self.tasks, *(f.fileno() for q in self.procs
                                            for f in (q.stdin, q.stdout))]
                    p = _Forked(r, nice, theirs)
                else:
                    p = subprocess.Popen([*args, str(r), "nice" if nice else "-"],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                                         pass_fds=(r,))
                self.procs.append(p)
                _grow_pipe(p.stdout.fileno())
                try:
                    p.stdin.write(header)
                    p.stdin.flush()
                except OSError:
                    pass  # it died: its chunks are read by the caller
        except (OSError, ValueError):
            pass  # no more processes: the ones started do all
        finally:
            os.close(r)

    def run(self, parts: Sequence[Sequence[tuple[str, str]]]) -> Iterator[tuple[int, list[Read]]]:
        """``(chunk number, reads)`` as they come in; chunks not delivered are left out."""
        procs = self.procs
        if not procs:
            return
        data = _frame(marshal.dumps([list(part) for part in parts]))
        for p in procs:
            try:
                p.stdin.write(data)
                p.stdin.close()
            except (OSError, ValueError):
                pass
        del data
        numbers = b"".join([struct.pack("<q", k) for k in range(len(parts))])
        step = getattr(select, "PIPE_BUF", 512) // 8 * 8  # an atomic write of whole numbers
        try:
            for i in range(0, len(numbers), step):
                os.write(self.tasks, numbers[i:i + step])
        except OSError:
            pass  # no worker left: the chunks are read by the caller
        finally:
            os.close(self.tasks)
            self.tasks = -1
        sel = selectors.DefaultSelector()
        try:
            for p in procs:
                sel.register(p.stdout, selectors.EVENT_READ, p)
            open_ = len(procs)
            while open_:
                for key, _ in sel.select():
                    f = key.fileobj
                    try:
                        k, n = struct.unpack("<qQ", _read_exact(f, 16))
                        reads = marshal.loads(_read_exact(f, n))
                    except (EOFError, ValueError, TypeError, OSError):
                        sel.unregister(f)
                        open_ -= 1
                        continue
                    yield k, reads
        finally:
            sel.close()

    def close(self) -> None:
        if self.tasks >= 0:
            os.close(self.tasks)
            self.tasks = -1
        for p in self.procs:
            try:
                p.kill()
            except OSError:
                pass
            p.wait()
            for f in (p.stdin, p.stdout):
                if f is not None:
                    with contextlib.suppress(OSError, ValueError):
                        f.close()
        self.procs = []


class _Forked:
    """A worker made with ``fork`` (a command's process, no other thread): it has
    every module already, so it reads from the first moment (a new interpreter
    needs a fifth of a second to start). What ``Pool`` asks of a Popen."""

    def __init__(self, tasks: int, nice: bool, keep_closed: list[int]) -> None:
        in_r, in_w = os.pipe()
        out_r, out_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: its own pipes, the shared one; then leave
            code = 1
            try:
                for fd in (in_w, out_r, *keep_closed):
                    with contextlib.suppress(OSError):
                        os.close(fd)
                _work(os.fdopen(in_r, "rb"), os.fdopen(out_w, "wb"), tasks, nice)
                code = 0
            finally:
                os._exit(code)
        os.close(in_r)
        os.close(out_w)
        self.pid = pid
        self.stdin = os.fdopen(in_w, "wb")
        self.stdout = os.fdopen(out_r, "rb")

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)

    def wait(self) -> None:
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(self.pid, 0)


def _grow_pipe(fd: int) -> None:
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
    except (ImportError, AttributeError, OSError):
        pass  # a smaller pipe: slower, not wrong


def _worker() -> None:
    """A reading process: a header and the list of chunks on stdin, the numbers of the
    chunks to read from the pipe named in argv (shared with the other workers), a
    message per chunk on stdout."""
    _work(sys.stdin.buffer, sys.stdout.buffer, int(sys.argv[1]), sys.argv[2:3] == ["nice"])


def _work(inp, out, tasks: int, nice: bool) -> None:
    if nice:
        try:
            os.nice(5)  # keep the interface (the parent) responsive
        except OSError:
            pass
    gc.disable()  # only short-lived objects here
    (n,) = struct.unpack("<Q", _read_exact(inp, 8))
    root, settings, partial = pickle.loads(_read_exact(inp, n))
    canonical = Canonical(settings, partial)
    (n,) = struct.unpack("<Q", _read_exact(inp, 8))
    parts = marshal.loads(_read_exact(inp, n))
    while True:
        number = os.read(tasks, 8)
        if len(number) != 8:
            break  # all taken (or something odd: the caller reads what is missing)
        (k,) = struct.unpack("<q", number)
        data = marshal.dumps(read_files(root, parts[k], settings, canonical))
        out.write(struct.pack("<qQ", k, len(data)))
        out.write(data)
        out.flush()


if __name__ == "__main__":
    _worker()
