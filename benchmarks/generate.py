"""Realistic caselog data folders for the benchmarks.

    python -m benchmarks.generate 100000            # -> /tmp/caselog-bench/100000
    python -m benchmarks.generate 10000 --out DIR

Inquiries spread over three reporting periods in month folders, with the
default taxonomy; titles of 30-80 characters, notes of 100-1500; about a
quarter with follow-up issues; appeal decisions as many as a fifth of the
inquiries. A few files carry warnings (an unknown channel), as real folders
do. Files are written directly from ``codec.to_toml`` bytes with mode 0600;
a finished folder is marked with ``.caselog-bench-complete`` and reused.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(os.environ.get("CASELOG_BENCH_DIR", "/tmp/caselog-bench"))
MARK = ".caselog-bench-complete"
SEED = 20240403

WORDS = (
    "afslag på ansøgning om hjælp til ny aktivering trods fleksjobafklaring manglende svar fra "
    "kommunen klage over sagsbehandlingstid partshøring ikke gennemført aktindsigt i egen sag "
    "begrundelse mangler i afgørelsen borgeren ønsker vejledning om klagemuligheder tilskud til "
    "merudgifter handicapbil hjemmehjælp ændret uden varsel skoleplads specialundervisning "
    "befordring bevilling opsagt bolig venteliste daginstitution forældrebetaling renovation "
    "byggetilladelse parkering vej snerydning ejendomsskat sygedagpenge jobcenter samtale "
    "mødeindkaldelse sent forløb koordinering mellem forvaltninger utilfreds med tonen "
    "telefonisk betjening digital post brev mail svarfrist overskredet genoptagelse"
).split()


def _sentence(rng: random.Random, lo: int, hi: int) -> str:
    n = rng.randint(lo, hi)
    out = []
    size = 0
    while size < n:
        w = rng.choice(WORDS)
        out.append(w)
        size += len(w) + 1
    s = " ".join(out)[:n].rstrip()
    return s[0].upper() + s[1:]


def _notes(rng: random.Random) -> str:
    n = rng.randint(100, 1500)
    lines = []
    size = 0
    while size < n:
        line = _sentence(rng, 40, 110) + "."
        lines.append(line)
        size += len(line) + 1
    text = "\n".join(lines)[:n]
    return text + "\n"


def make_records(n: int, seed: int = SEED):
    """``n`` inquiries and ``n // 5`` appeal decisions, deterministic for a seed."""
    from store.domain.records import Appeal, Citizen, Inquiry, Point
    from store.domain.taxonomy import default_settings

    rng = random.Random(seed)
    s = default_settings()
    depts = [d.name for d in s.departments]
    dept_weights = [30, 18, 12, 6, 10, 20, 3, 5]
    themes = list(s.themes)
    alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
    start = date(2022, 4, 1)
    days = (date(2025, 3, 31) - start).days
    taken: set[str] = set()

    def new_id(d: date) -> str:
        while True:
            rid = d.isoformat() + "-" + "".join(rng.choice(alphabet) for _ in range(4))
            if rid not in taken:
                taken.add(rid)
                return rid

    def point() -> Point:
        t = rng.choice(themes)
        sub = rng.choice(t.subthemes) if t.subthemes else None
        return Point(rng.choices(depts, dept_weights)[0], t.name, sub)

    inquiries = []
    for i in range(n):
        received = start + timedelta(days=rng.randint(0, days))
        closed_ = rng.random() < 0.85
        closed = received + timedelta(days=rng.randint(0, 60)) if closed_ else None
        follow = ()
        if rng.random() < 0.25:
            follow = tuple(point() for _ in range(rng.choice((1, 1, 1, 2, 3))))
        channel = rng.choice(s.channels)
        if i % 1000 == 7:
            channel = "Sms"  # a warning: not in caselog.toml
        citizen = None
        if rng.random() < 0.6:
            citizen = Citizen(
                name=_sentence(rng, 8, 24).title(),
                phone=f"{rng.randint(20000000, 99999999)}",
                email=f"borger{rng.randint(1, 10**6)}@example.dk" if rng.random() < 0.5 else "",
            )
        inquiries.append(Inquiry(
            id=new_id(received), received=received,
            kind=rng.choices(("complaint", "inquiry", "complaint-help"), (45, 45, 10))[0],
            status="closed" if closed_ else "open", closed=closed, channel=channel,
            title=_sentence(rng, 30, 80), notes=_notes(rng), main=point(), follow_up=follow,
            citizen=citizen,
        ))
    appeals = []
    for _ in range(n // 5):
        received = start + timedelta(days=rng.randint(0, days))
        outcome = rng.choices(("no-remarks", "remarks", "rejected"), (60, 30, 10))[0]
        remarks = ()
        if outcome == "remarks":
            remarks = tuple(rng.sample(s.remark_themes, rng.randint(1, 2)))
        appeals.append(Appeal(
            id=new_id(received), received=received, board=rng.choice(s.appeal_boards),
            department=rng.choices(depts, dept_weights)[0], outcome=outcome, remarks=remarks,
            result=rng.choice(("Stadfæstet", "Ændret", "Hjemvist", "")),
            notes=_notes(rng) if rng.random() < 0.5 else "",
        ))
    return inquiries, appeals


def write_folder(target: Path, n: int, seed: int = SEED) -> Path:
    """Write a data folder with ``n`` inquiries (and ``n // 5`` appeals) into ``target``."""
    from store.folder.datafolder import DataFolder
    from store.format import codec
    from store.format.layout import record_relpath

    if target.exists():
        shutil.rmtree(target)
    folder = DataFolder.init(target)
    inquiries, appeals = make_records(n, seed)
    made: set[str] = set()
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    for r in (*inquiries, *appeals):
        rel = record_relpath(r)
        d = os.path.dirname(rel)
        if d not in made:
            os.makedirs(folder.root / d, mode=0o700, exist_ok=True)
            made.add(d)
        fd = os.open(folder.root / rel, flags, 0o600)
        try:
            os.write(fd, codec.to_toml(r).encode("utf-8"))
        finally:
            os.close(fd)
    return folder.root


def ensure(n: int, root: Path = ROOT, quiet: bool = False) -> Path:
    """The cached folder for ``n`` inquiries, generated when missing."""
    target = root / str(n)
    if (target / MARK).exists():
        return target
    t0 = time.perf_counter()
    if not quiet:
        print(f"generating {n} inquiries in {target} ...", file=sys.stderr, flush=True)
    write_folder(target, n)
    (target / MARK).write_text(f"{n}\n")
    if not quiet:
        print(f"  done in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    return target


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    p.add_argument("--out", help="write one folder here instead of the cache")
    p.add_argument("--seed", type=int, default=SEED)
    args = p.parse_args(argv)
    if args.out:
        write_folder(Path(args.out), args.sizes[0], args.seed)
        return 0
    for n in args.sizes:
        print(ensure(n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
