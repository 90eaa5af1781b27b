"""The records of a data folder: inquiries, their points, appeal decisions.

Records are frozen dataclasses; an edit makes a new copy with
``dataclasses.replace``. Keys a record file holds that this version does not
know are kept in ``extra`` so that a rewrite never loses them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

KINDS = ("complaint", "inquiry", "complaint-help")
STATUSES = ("open", "closed")
OUTCOMES = ("no-remarks", "remarks", "rejected")


def _empty() -> Mapping[str, Any]:
    return {}


@dataclass(frozen=True, eq=True)
class Point:
    """One issue of an inquiry (klagepunkt): the main issue or a follow-up."""

    department: str
    theme: str
    subtheme: str | None = None
    extra: Mapping[str, Any] = field(default_factory=_empty, compare=True, repr=False)

    __hash__ = None  # type: ignore[assignment]  # extra is a dict


@dataclass(frozen=True)
class Citizen:
    """The optional personal data of an inquiry: never exported unless asked."""

    name: str = ""
    phone: str = ""
    email: str = ""
    extra: Mapping[str, Any] = field(default_factory=_empty, repr=False)

    __hash__ = None  # type: ignore[assignment]

    def is_empty(self) -> bool:
        return not (self.name or self.phone or self.email or self.extra)


@dataclass(frozen=True)
class Inquiry:
    """One inquiry (henvendelse) to the citizens' advisor."""

    id: str
    received: date
    kind: str
    status: str
    main: Point
    closed: date | None = None
    channel: str = ""
    title: str = ""
    notes: str = ""
    follow_up: tuple[Point, ...] = ()
    citizen: Citizen | None = None
    source: str = ""
    extra: Mapping[str, Any] = field(default_factory=_empty, repr=False)

    __hash__ = None  # type: ignore[assignment]

    @property
    def points(self) -> tuple[Point, ...]:
        return (self.main, *self.follow_up)


@dataclass(frozen=True)
class Appeal:
    """One appeal-board decision about the municipality."""

    id: str
    received: date
    board: str
    department: str
    outcome: str
    remarks: tuple[str, ...] = ()
    result: str = ""
    notes: str = ""
    extra: Mapping[str, Any] = field(default_factory=_empty, repr=False)

    __hash__ = None  # type: ignore[assignment]


Record = Inquiry | Appeal
