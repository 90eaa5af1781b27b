"""The inquiries as the list shows them: sorted, by period, filtered by typed text.

Built for 100,000 inquiries: each record has its lower-cased search text
computed once; the sorted order and the period's rows are cached and rebuilt
only when a record changes; typing one more letter filters the rows that
matched before, not all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import compress

from store.periods import Period
from store.records import Inquiry
from store.taxonomy import Settings

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
    def __init__(self, settings: Settings, inquiries: Iterable[Inquiry],
                 labels: Callable[[Inquiry], Iterable[str]] = lambda r: ()) -> None:
        self.settings = settings
        self.labels = labels  # words of the interface to search too (kind, status)
        self.search: dict[str, str] = {}
        self.records: dict[str, Inquiry] = {}
        for r in inquiries:
            self._put(r)
        self._sorted: dict[tuple[str, bool], list[Inquiry]] = {}
        self._base: dict[tuple, list[Inquiry]] = {}
        self._last: tuple[Query, list[Inquiry], list[str]] | None = None
        self._counts: dict[Period | None, tuple[int, int]] = {}
        self._base_text: dict[tuple, list[str]] = {}

    # -- keeping up with changes ------------------------------------------------
    def _put(self, r: Inquiry) -> None:
        s = self.settings
        parts = [r.id, r.received.isoformat(), r.title, r.notes, r.channel, *self.labels(r)]
        for p in r.points:
            parts += [p.department, s.department_name(p.department), s.short_name(p.department),
                      p.theme, p.subtheme or ""]
        if r.citizen is not None:
            parts += [r.citizen.name, r.citizen.phone, r.citizen.email]
        self.search[r.id] = "\n".join(parts).casefold()
        self.records[r.id] = r

    def put(self, r: Inquiry) -> None:
        self._put(r)
        self._invalidate()

    def remove(self, rid: str) -> None:
        self.search.pop(rid, None)
        self.records.pop(rid, None)
        self._invalidate()

    def _invalidate(self) -> None:
        self._sorted.clear()
        self._base.clear()
        self._last = None
        self._counts.clear()
        self._base_text.clear()

    def __len__(self) -> int:
        return len(self.records)

    # -- asking ------------------------------------------------------------------
    def sort_key(self, sort: str) -> Callable[[Inquiry], object]:
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
        return lambda r: (r.received, r.id)

    def _sorted_all(self, sort: str, reverse: bool) -> list[Inquiry]:
        key = (sort, reverse)
        rows = self._sorted.get(key)
        if rows is None:
            rows = sorted(self.records.values(), key=self.sort_key(sort), reverse=reverse)
            self._sorted[key] = rows
        return rows

    def base(self, q: Query) -> list[Inquiry]:
        """The rows of the period (and open only), before the text filter."""
        key = (q.period, q.open_only, q.sort, q.reverse)
        cached = self._base.get(key)
        if cached is not None:
            return cached
        rows = self._sorted_all(q.sort, q.reverse)
        if q.period is not None:
            start, end = q.period.start, q.period.end
            rows = [r for r in rows if start <= r.received <= end]
        if q.open_only:
            rows = [r for r in rows if r.status == "open"]
        if len(self._base) > 8:
            self._base.clear()
            self._base_text.clear()
        self._base[key] = rows
        return rows

    def _base_texts(self, q: Query, rows: list[Inquiry]) -> list[str]:
        key = (q.period, q.open_only, q.sort, q.reverse)
        texts = self._base_text.get(key)
        if texts is None or len(texts) != len(rows):
            texts = self._base_text[key] = self._texts(rows)
        return texts

    def _texts(self, rows: list[Inquiry]) -> list[str]:
        search = self.search
        return [search[r.id] for r in rows]

    def view(self, q: Query) -> list[Inquiry]:
        terms = q.terms()
        rows = self.base(q)
        texts: list[str] | None = None
        if terms:
            last = self._last
            if (last is not None and last[0].period == q.period
                    and last[0].open_only == q.open_only and last[0].sort == q.sort
                    and last[0].reverse == q.reverse and last[0].terms()
                    and _narrower(terms, last[0].terms())):
                rows, texts = last[1], last[2]  # one more letter: filter what matched before
            else:
                texts = self._base_texts(q, rows)
            for term in terms:  # one pass per word, the copying done by compress in C
                mask = [term in text for text in texts]
                if not all(mask):
                    rows = list(compress(rows, mask))
                    texts = list(compress(texts, mask))
        self._last = (q, rows, texts) if texts is not None else None
        return rows

    def count(self, period: Period | None) -> tuple[int, int]:
        """(all, open) inquiries of a period."""
        cached = self._counts.get(period)
        if cached is None:
            rows = self.base(Query(period=period))
            cached = self._counts[period] = (len(rows), sum(r.status == "open" for r in rows))
        return cached


def _narrower(new: list[str], old: list[str]) -> bool:
    """Every row matching ``new`` also matches ``old``."""
    return all(any(o in n for n in new) for o in old)
