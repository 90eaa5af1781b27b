"""The inquiries as the list shows them: sorted, by period, filtered by typed text.

Built for 100,000 inquiries:

* nothing is done per record before the list shows: the search text of a
  record (lower-cased) is made when a filter first needs it, or in the
  background after the first screen (``missing_texts`` / ``set_texts``);
* the sorted order, each period's rows and counts are cached and kept up to
  date one record at a time (``replace``: a binary search and one insert or
  removal per cached list), never re-sorted after a save;
* typing one more letter filters the rows that matched before, not all of them.

Records loaded from the index are partial (no notes, no citizen data): their
texts hold the other fields until the notes are read in the background and
``set_texts`` replaces them. The texts are kept in a temporary file, not in
memory (``search_texts.Texts``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from operator import attrgetter
from pathlib import Path

from store.domain.periods import Period
from store.domain.records import Inquiry
from store.domain.taxonomy import Settings
from store.folder.rowcodec import no_gc

from .search_texts import KEEP_SCANS, SEP, Texts

SORTS = ("received", "id", "kind", "department", "theme", "status", "title")


@dataclass(frozen=True)
class Query:
    period: Period | None = None  # None: all periods
    open_only: bool = False
    text: str = ""
    sort: str = "received"
    reverse: bool = True  # newest first

    def terms(self) -> list[str]:
        return self.text.casefold().split()


class InquiryIndex:
    def __init__(self, settings: Settings, inquiries: Iterable[Inquiry] | Mapping[str, Inquiry],
                 labels: Callable[[Inquiry], Iterable[str]] = lambda r: (),
                 texts_dir: Path | None = None) -> None:
        self.settings = settings
        self.labels = labels  # words of the interface to search too (kind, status)
        # Each record's search text (made when first needed), lower-cased, as
        # UTF-8, in a temporary file in ``texts_dir`` (None, or one that cannot be
        # written: in memory). UTF-8: half of all notes hold a dash or a quotation
        # mark beyond Latin-1, which makes a str of them two bytes a character; a
        # word is looked for as its UTF-8.
        self.texts = Texts(texts_dir)
        self._pass: _Pass | None = None  # the last view's look at its rows, if not done
        # (a dict by id, as the workspace holds them, is copied in C)
        self.records: dict[str, Inquiry] = dict(inquiries) if isinstance(inquiries, Mapping) \
            else {r.id: r for r in inquiries}
        self._keys: dict[str, Callable[[Inquiry], object]] = {}
        self._sorted: dict[tuple[str, bool], list[Inquiry]] = {}
        self._base: dict[tuple, list[Inquiry]] = {}
        self._last: tuple[Query, list[Inquiry], list[int]] | None = None
        self._counts: dict[Period | None, tuple[int, int]] = {}
        self._base_text: dict[tuple, list[int]] = {}  # a base's rows' entries in ``texts``
        self._pending: Iterator[str] | None = None  # ids left for missing_texts
        self.closed = False  # drop_texts: no search texts any more

    # -- search texts --------------------------------------------------------------
    def text(self, r: Inquiry, notes: str | None = None,
             citizen: Sequence[str] | None = None) -> bytes:
        """The lower-cased search text of ``r`` in UTF-8: its fields, then its notes;
        ``notes``/``citizen`` (name, phone, email) stand in for a partial
        record's. Pure: may run on any thread."""
        s = self.settings
        parts = [r.id, r.received.isoformat(), r.title, r.channel, *self.labels(r)]
        for p in r.points:
            parts += [p.department, s.department_name(p.department), s.short_name(p.department),
                      p.theme, p.subtheme or ""]
        if citizen is None and r.citizen is not None:
            citizen = (r.citizen.name, r.citizen.phone, r.citizen.email)
        if citizen:
            parts += [x or "" for x in citizen]
        notes = r.notes if notes is None else notes
        if notes:
            parts.append(notes)
        # Each part once (a department's code is often its name): a search term
        # never holds white space, so it matches within one part, never across.
        return "\n".join(dict.fromkeys(parts)).casefold().encode()

    def missing_texts(self, limit: int = 2000) -> list[Inquiry]:
        """Up to ``limit`` records without a search text yet.

        Goes on from where the last call stopped (one pass over the records,
        not one per call); a record added since has its text made when a
        filter needs it.
        """
        have, records = self.texts.entry, self.records
        if self.closed:
            return []
        if self._pending is None:
            self._pending = iter(list(records))
        out = []
        for rid in self._pending:
            r = records.get(rid)
            if r is not None and rid not in have:
                out.append(r)
                if len(out) >= limit:
                    break
        return out

    def set_texts(self, texts: Iterable[tuple[Inquiry, bytes]]) -> int:
        """Take texts made elsewhere (a background thread) for the records they were
        made of; a record replaced meanwhile keeps its own. Returns how many were taken."""
        if self.closed:
            return 0
        have, records = self.texts.entry, self.records
        replaced = 0
        take = []
        for r, text in texts:
            if records.get(r.id) is r:
                if r.id in have:
                    replaced += 1
                take.append((r.id, text))
        self.texts.put_many(take)  # (one write for them all)
        if replaced:  # cached filter texts hold the old ones
            self._forget_views()
        return len(take)

    def drop_texts(self) -> None:
        """Forget every search text, and make none again (the list is going away:
        at quit). A filter then shows its rows unfiltered."""
        self.closed = True
        self.texts.close()
        self._pending = None
        self._forget_views()

    def _forget_views(self) -> None:
        self._last = None
        self._pass = None
        self._base_text.clear()

    def _texts(self, rows: list[Inquiry]) -> list[int]:
        """The rows' entries in ``texts`` (those not made yet made now)."""
        entry = self.texts.entry
        ids = list(map(attrgetter("id"), rows))
        try:
            return list(map(entry.__getitem__, ids))
        except KeyError:
            text = self.text
            self.texts.put_many([(r.id, text(r)) for r in rows if r.id not in entry])
            return list(map(entry.__getitem__, ids))

    # -- keeping up with changes ------------------------------------------------
    def replace(self, old: Inquiry | None, new: Inquiry | None) -> None:
        """One record changed (``old`` -> ``new``; None: absent): every cached list and
        count follows with one binary search each, nothing is sorted again."""
        if old is not None:
            self._remove(old.id)
        if new is not None:
            self._insert(new)
        self._forget_views()

    def add_many(self, records: Iterable[Inquiry]) -> None:
        """Records not here yet, all at once (the workspace's records of other
        periods, built after the first screen). A cached list or count of a period
        that none of them falls in stays as it is; the others are made again
        when next asked for."""
        have = self.records
        new = [r for r in records if r.id not in have]
        if not new:
            return
        have.update(zip(map(attrgetter("id"), new), new, strict=True))
        self._pending = None  # missing_texts: one more pass, over them too
        self._sorted.clear()
        received = set(map(attrgetter("received"), new))  # (a few thousand days)

        def hit(period: Period | None) -> bool:
            return period is None or any(period.start <= d <= period.end for d in received)

        for key in [k for k in self._base if hit(k[0])]:
            del self._base[key]
            self._base_text.pop(key, None)
        for period in [p for p in self._counts if hit(p)]:
            del self._counts[period]
        self._last = None
        self._pass = None

    def put(self, r: Inquiry) -> None:
        self.replace(self.records.get(r.id), r)

    def remove(self, rid: str) -> None:
        self._remove(rid)
        self._forget_views()

    def _remove(self, rid: str) -> None:
        r = self.records.pop(rid, None)
        self.texts.pop(rid)
        if r is None:
            return
        for (sort, reverse), rows in self._sorted.items():
            _drop(rows, r, self.sort_key(sort), reverse)
        for (period, open_only, sort, reverse), rows in self._base.items():
            if _in(r, period, open_only):
                _drop(rows, r, self.sort_key(sort), reverse)
        self._count(r, -1)

    def _insert(self, r: Inquiry) -> None:
        if r.id in self.records:
            self._remove(r.id)
        self.records[r.id] = r
        self.texts.put(r.id, self.text(r))
        for (sort, reverse), rows in self._sorted.items():
            _add(rows, r, self.sort_key(sort), reverse)
        for (period, open_only, sort, reverse), rows in self._base.items():
            if _in(r, period, open_only):
                _add(rows, r, self.sort_key(sort), reverse)
        self._count(r, 1)

    def _count(self, r: Inquiry, step: int) -> None:
        for period, (total, open_) in list(self._counts.items()):
            if period is None or r.received in period:
                self._counts[period] = (total + step, open_ + step * (r.status == "open"))

    def __len__(self) -> int:
        return len(self.records)

    # -- asking ------------------------------------------------------------------
    def sort_key(self, sort: str) -> Callable[[Inquiry], object]:
        key = self._keys.get(sort)
        if key is None:
            key = self._keys[sort] = self._sort_key(sort)
        return key

    def _sort_key(self, sort: str) -> Callable[[Inquiry], object]:
        s = self.settings
        if sort == "id":
            return lambda r: r.id
        if sort == "kind":
            return lambda r: (r.kind, r.received, r.id)
        if sort == "department":
            order = {d: i for i, d in enumerate(s.department_names)}
            return lambda r: (order.get(s.department_name(r.main.department), len(order)),
                              r.main.department, r.received, r.id)
        if sort == "theme":
            return lambda r: (r.main.theme.casefold(), (r.main.subtheme or "").casefold(),
                              r.received, r.id)
        if sort == "status":
            return lambda r: (r.status, r.received, r.id)
        if sort == "title":
            return lambda r: (r.title.casefold(), r.received, r.id)
        return attrgetter("received", "id")  # (r.received, r.id), made in C

    def _sorted_all(self, sort: str, reverse: bool) -> list[Inquiry]:
        key = (sort, reverse)
        rows = self._sorted.get(key)
        if rows is None:
            with no_gc():  # 100,000 key tuples would set off collections over them all
                rows = sorted(self.records.values(), key=self.sort_key(sort), reverse=reverse)
            if len(self._sorted) > 3:
                self._sorted.clear()
            self._sorted[key] = rows
        return rows

    def base(self, q: Query) -> list[Inquiry]:
        """The rows of the period (and open only), before the text filter."""
        key = (q.period, q.open_only, q.sort, q.reverse)
        cached = self._base.get(key)
        if cached is not None:
            return cached
        if q.period is not None:
            # The period's records, then sorted: a period is a part of the log (a
            # tenth of it after ten years), so sorting it alone is that much less.
            start, end = q.period.start, q.period.end
            rows = self._sorted.get((q.sort, q.reverse))
            if rows is not None:
                rows = [r for r in rows if start <= r.received <= end]
            else:
                with no_gc():
                    rows = sorted([r for r in self.records.values()
                                   if start <= r.received <= end],
                                  key=self.sort_key(q.sort), reverse=q.reverse)
        else:
            rows = self._sorted_all(q.sort, q.reverse)
        if q.open_only:
            rows = [r for r in rows if r.status == "open"]
        if rows is self._sorted.get((q.sort, q.reverse)):
            rows = list(rows)  # its own list: kept up to date on its own
        if len(self._base) > 8:
            self._base.clear()
            self._base_text.clear()
        self._base[key] = rows
        return rows

    def _base_texts(self, q: Query, rows: list[Inquiry]) -> list[int]:
        key = (q.period, q.open_only, q.sort, q.reverse)
        texts = self._base_text.get(key)
        if texts is None or len(texts) != len(rows):
            texts = self._base_text[key] = self._texts(rows)
        return texts

    def prepare(self, q: Query) -> None:
        """Make what a filter of ``q``'s rows needs first (their texts in a list), so
        that the first letter typed does not wait for it."""
        if not self.closed:  # (let go at quit: none made again)
            self._base_texts(q, self.base(q))

    def view(self, q: Query, budget: float | None = None,
             enough: int | None = None) -> list[Inquiry]:
        """The rows ``q`` shows. The rows are looked at in their order, a part at a
        time (``_Pass``): every word in each row's search text; for ``budget``
        seconds (None: until all are done), or (``enough``) until so many rows are
        found. When it stops before the end, the rows found
        so far (the first of the rows ``q`` shows, all of them: those on screen)
        are returned and ``searching`` is True: ``more`` goes on."""
        terms = q.terms()
        rows = self.base(q)
        self._pass = None
        if not terms or self.closed:
            self._last = None
            return rows
        last = self._last
        if (last is not None and last[0].period == q.period
                and last[0].open_only == q.open_only and last[0].sort == q.sort
                and last[0].reverse == q.reverse and last[0].terms()
                and _narrower(terms, last[0].terms())):
            rows, entries = last[1], last[2]  # one more letter: what matched before
        else:
            entries = self._base_texts(q, rows)
        p = _Pass(q, rows, entries, terms, self.texts)
        if p.run(budget, enough):
            return self._done(p)
        self._pass = p
        return p.rows_now()

    @property
    def searching(self) -> bool:
        """The last view has rows left to look at (``more``)."""
        return self._pass is not None

    def more(self, budget: float | None = None) -> list[Inquiry] | None:
        """Look on for the last view (``budget``: as ``view``'s): its rows once
        ``searching`` is False, until then an empty list. None: no view is
        searching (it was done, or a change since made it stale: view again)."""
        p = self._pass
        if p is None:
            return None
        if p.run(budget):
            return self._done(p)
        return []

    def found_so_far(self) -> list[Inquiry]:
        """The rows the last view has found, while it is ``searching``."""
        p = self._pass
        return p.rows_now() if p is not None else []

    def _done(self, p: _Pass) -> list[Inquiry]:
        self._pass = None
        if all(p.mask):
            rows, entries = p.rows, p.entries
        else:
            rows = list(compress(p.rows, p.mask))
            entries = list(compress(p.entries, p.mask))
        self._last = (p.q, rows, entries)
        return rows

    def count(self, period: Period | None) -> tuple[int, int]:
        """(all, open) inquiries of a period."""
        cached = self._counts.get(period)
        if cached is None:
            rows = self.base(Query(period=period))
            cached = self._counts[period] = (len(rows), sum(r.status == "open" for r in rows))
        return cached


def _in(r: Inquiry, period: Period | None, open_only: bool) -> bool:
    return (period is None or r.received in period) and (not open_only or r.status == "open")


def _position(rows: list[Inquiry], k: object, key: Callable[[Inquiry], object],
              reverse: bool) -> int:
    """Where a record with sort key ``k`` belongs in ``rows`` (sorted by ``key``)."""
    lo, hi = 0, len(rows)
    while lo < hi:
        mid = (lo + hi) // 2
        km = key(rows[mid])
        if (km > k) if reverse else (km < k):  # type: ignore[operator]
            lo = mid + 1
        else:
            hi = mid
    return lo


def _add(rows: list[Inquiry], r: Inquiry, key: Callable[[Inquiry], object],
         reverse: bool) -> None:
    rows.insert(_position(rows, key(r), key, reverse), r)


def _drop(rows: list[Inquiry], r: Inquiry, key: Callable[[Inquiry], object],
          reverse: bool) -> None:
    i = _position(rows, key(r), key, reverse)
    for j in (i, i - 1, i + 1):
        if 0 <= j < len(rows) and rows[j].id == r.id:
            del rows[j]
            return
    for j, x in enumerate(rows):  # not where its key says (should not happen): look
        if x.id == r.id:
            del rows[j]
            return


def _narrower(new: list[str], old: list[str]) -> bool:
    """Every row matching ``new`` also matches ``old``."""
    return all(any(o in n for n in new) for o in old)


SEARCH_CHUNK = 4000  # rows looked at between looks at the clock


class _Pass:
    """A view's look at its rows, in their order, a part at a time: whether each
    row's search text holds every word.

    The texts are looked in one of two ways. For the first screen of rows (until
    ``enough`` are found, in the view's first turn), and when the rows are few
    against all texts, each row's text is read and looked in. Otherwise the
    whole file of texts is scanned once per word (``Texts.scan``: large parts,
    ``bytes.find`` in C; a part per step, so that the budget holds) and each
    row's entry looked up in what it found."""

    def __init__(self, q: Query, rows: list[Inquiry], entries: list[int],
                 terms: list[str], texts: Texts) -> None:
        self.q, self.rows, self.entries = q, rows, entries
        self.texts = texts
        self.words = list(dict.fromkeys(t.encode() for t in terms))  # (the texts are UTF-8)
        # Few rows (against every text there is): reading theirs costs less than a
        # scan. (More words than the scans kept: each row read, the scans would
        # push each other out.)
        self.few = len(rows) * 4 < texts.entries or len(self.words) > KEEP_SCANS \
            or any(SEP in w for w in self.words)
        self.mask: list[bool] = []  # the rows looked at: whether each matches
        self.found = 0
        self._scans: dict[bytes, bytearray] = {}  # this pass's words scanned to the end

    def _finds(self, deadline: float | None, wait: bool) -> list[bytearray] | None:
        """What a scan found for each word (``found[entry]``: 1 where it is); None:
        not every word is scanned yet and ``wait`` is False, or ``deadline`` came first."""
        texts, done = self.texts, self._scans
        for w in self.words:
            if w not in done:
                found = texts.scanned(w)
                if found is None and wait:
                    found = texts.scan(w, deadline)
                if found is None:
                    return None
                done[w] = found
        return [done[w] for w in self.words]

    def run(self, budget: float | None, enough: int | None = None) -> bool:
        """Look at rows for ``budget`` seconds (None: all), or until ``enough`` rows
        are found; True when every row is looked at."""
        deadline = None if budget is None else time.perf_counter() + budget
        entries, mask = self.entries, self.mask
        end = len(entries)
        while len(mask) < end:
            a = len(mask)
            b = min(a + SEARCH_CHUNK, end)
            part = entries[a:b]
            read_each = self.few or (enough is not None and self.found < enough)
            finds = self._finds(deadline, wait=not read_each)
            if finds is None and not read_each:
                break  # the scan ran out of time: this part at the next turn
            if finds is None:
                got = self._read_each(part, deadline, enough)
            elif len(finds) == 1:
                got = list(map(finds[0].__getitem__, part))
            else:
                got = list(map(all, zip(*[map(f.__getitem__, part) for f in finds], strict=True)))
            mask += got
            self.found += got.count(True)
            if (deadline is not None and time.perf_counter() > deadline) or \
                    (enough is not None and self.found >= enough):
                break
        return len(mask) >= end

    def _read_each(self, part: list[int], deadline: float | None,
                   enough: int | None) -> list[bool]:
        """Each entry's text read and looked in, until the part is done, ``enough``
        rows are found in all, or (looked at every 256 rows) ``deadline``."""
        has, words = self.texts.has, self.words
        got: list[bool] = []
        want = None if enough is None else enough - self.found
        for i, e in enumerate(part):
            if has(e, words):
                got.append(True)
                if want is not None:
                    want -= 1
                    if want <= 0:
                        break
            else:
                got.append(False)
            if deadline is not None and not i & 255 and i and time.perf_counter() > deadline:
                break
        return got

    def rows_now(self) -> list[Inquiry]:
        return list(compress(self.rows, self.mask))
