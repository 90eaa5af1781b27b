"""A data folder as another program would write it (not caselog's own writer).

    python -m benchmarks.outside 100000 /work/bench/outside-100k [--seed S] [--git]

Writes N inquiries and N/5 appeal decisions that are valid per FORMAT.md,
with the default taxonomy, over about ten reporting periods, but in layouts
caselog itself never writes: keys in another order, comments, blank lines,
literal strings, basic strings with escapes (\\" \\\\ \\n \\t \\u00e6), quoted
and dotted keys, ``[main]`` as an inline table or dotted keys,
``follow_up`` as an array of inline tables, multi-line notes (basic and
literal) with quotes, some CRLF files, some lines with trailing whitespace,
some keys caselog does not know, realistic Danish notes of 100-3000
characters (1 % of some kB). About 1 % of the department names are unknown
to the taxonomy ("Jobcenter", ...) and a few channels too; files are 0644
and folders 0755, as after a ``git clone`` with umask 022.

Nothing here uses ``store.codec`` or tomli-w: the TOML text is made by
hand. Only the taxonomy's names come from ``store.taxonomy``.

``make_plan(n, seed)`` gives what is written (the records as plain values),
from which tests/test_outside_generator.py computes the report's tables
independently of caselog and compares them with ``caselog report``.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
SEED = 20260101
START = date(2016, 4, 1)
END = date(2026, 11, 30)

UNKNOWN_DEPARTMENTS = ("Teknik & Miljø (gammel)", "Jobcenter", "Sundhed og Omsorg", "Borgerservice")
UNKNOWN_CHANNELS = ("Sms", "Chat", "Facebook")
UNKNOWN_DEPT_RATE = 0.01
UNKNOWN_CHANNEL_RATE = 0.004


@dataclass
class Inq:
    id: str
    received: date
    kind: str
    status: str
    closed: date | None
    channel: str
    title: str
    notes: str
    main: tuple  # (department, theme, subtheme | None)
    follow_up: list = field(default_factory=list)
    citizen: dict | None = None
    extra: dict = field(default_factory=dict)  # keys caselog does not know (str values)


@dataclass
class Dec:
    id: str
    received: date
    board: str
    department: str
    outcome: str
    remarks: list
    result: str | None  # None: the key is left out
    notes: str | None  # None: the key is left out


# ---------------------------------------------------------------------------
# Danish text

FIRST = ("Anne", "Mette", "Hanne", "Lars", "Søren", "Jens", "Kirsten", "Peter", "Niels", "Rasmus",
         "Ida", "Freja", "Åse", "Bjørn", "Mikkel", "Karen", "Birgitte", "Jørgen", "Louise", "Emil")
LAST = ("Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
        "Rasmussen", "Jørgensen", "Madsen", "Kristensen", "Østergaard", "Mølgaard", "Bæk", "Ærø")

OPENERS = (
    "Borgeren ringede og fortalte, at hun har ventet i over fire måneder på svar fra forvaltningen.",
    "Borgeren henvendte sig personligt i Borgerservice og bad om at tale med borgerrådgiveren.",
    "Mail modtaget fra borgeren med spørgsmål om, hvordan man klager over en afgørelse.",
    "Borgerens datter kontakter os på vegne af sin mor, som har fuldmagt til hende.",
    "Henvendelse via Digital Post: borgeren er utilfreds med sagsbehandlingen i sin sag om hjælpemidler.",
    "Borgeren har modtaget et afslag på ansøgning om tilskud til merudgifter efter servicelovens § 41.",
    "Advokat på vegne af borgeren beder om aktindsigt i sagens akter, jf. forvaltningslovens § 9.",
    "Borgeren oplever, at der ikke er blevet foretaget partshøring, inden afgørelsen blev truffet.",
)
MIDDLE = (
    'Kommunen har skrevet: "Vi kan ikke imødekomme din ansøgning", men uden nogen begrundelse.',
    "Jeg har vejledt om klagemulighederne og om fristen på fire uger fra modtagelsen af afgørelsen.",
    "Borgeren er utilfreds med tonen i telefonen – \"det føltes, som om jeg var til besvær\".",
    "Sagen er sendt videre til Ankestyrelsen, men borgeren har ikke hørt noget siden.",
    "Der er tale om en koordineringsudfordring mellem Jobcenter og Socialafdelingen.",
    "Borgeren har fået tre forskellige sagsbehandlere på et halvt år og skal forklare alt forfra.",
    "Ifølge borgeren er mødeindkaldelsen kommet efter mødet var afholdt.",
    "Forældrene ønsker en skoleplads med specialundervisning, men har fået afslag uden vejledning.",
    "Hjemmehjælpen er ændret uden varsel, og borgeren har ikke fået en skriftlig afgørelse.",
    "Det fremgår af sagen, at der mangler oplysninger om borgerens helbredsforhold.",
    "Borgeren beder om, at vi ser på, om sagsbehandlingstiden er rimelig.",
    "Aftalt, at jeg kontakter afdelingen og vender tilbage til borgeren inden for 14 dage.",
    "Mail sendt til afdelingen (sagsbehandler@kommune.example.dk) med kopi til borgeren.",
    "Ref.: j.nr. 27.12.00-G01-4-24 – afdelingen bekræfter modtagelse af klagen.",
    "Borgeren er 'meget frustreret' og overvejer at gå til pressen.",
    "Opfølgning: afdelingen har nu truffet afgørelse, og borgeren er tilfreds med forløbet.",
    "Svar fra afdelingschefen: sagen behandles med prioritet, og borgeren får svar i næste uge.",
    "Borgeren spørger, om kommunen må kræve en lægeerklæring, og hvem der betaler for den.",
    "Befordring til og fra skole er bevilget, men kørslen fungerer ikke i praksis.",
    "Ejendomsskattebilletten er forkert, og borgeren har ikke kunnet få fat i nogen.",
    "Renovationen er ikke blevet tømt i tre uger; borgeren har ringet fem gange.",
    "Vedr. byggetilladelse: ansøgningen har ligget i 9 måneder uden svar.",
    "Forældrebetaling opkrævet for en periode, hvor barnet ikke var indskrevet.",
    "Borgeren nævner, at \"ingen læser mine mails\" og at hun føler sig overset.",
)
CLOSERS = (
    "Sagen afsluttet efter vejledning.",
    "Borgeren er vejledt om sine klagemuligheder; ingen videre handling fra borgerrådgiveren.",
    "Afdelingen har beklaget forløbet over for borgeren.",
    "Henvendelsen er videresendt til rette myndighed (Udbetaling Danmark).",
    "Afventer svar fra afdelingen.",
    "Aftalt ny kontakt efter jul.",
)
RARE = (  # characters a hand or another program puts in notes
    "Bilag gemt som C:\\Users\\borger\\Dokumenter\\klage.pdf (sendt på mail).",
    "Dato\tHændelse\n12.03\tOpkald fra borger\n19.03\tMail til afdeling",
    "Møde aftalt kl. 10:30 på rådhuset, lokale 2.14.",
    "Næste skridt:\n- Afvente svar fra afdelingen\n- Ringe til borgeren igen om 14 dage\n- Lukke sagen",
    "Borgeren skrev i sin mail: {bilag 2 mangler}.",
    "ÆØÅ æøå – « citat » og ’apostrof’ og „anførselstegn“.",
    'Tre anførselstegn i træk: """ står sådan i borgerens mail.',
)
TITLES = (
    "Klage over sagsbehandlingstid i sag om {x}",
    "Afslag på {x} uden begrundelse",
    "Spørgsmål om aktindsigt i sag om {x}",
    "Manglende svar fra forvaltningen vedr. {x}",
    "Utilfreds med betjeningen i sag om {x}",
    "Hjælp til klage over afgørelse om {x}",
    "Vejledning om klagemuligheder – {x}",
    'Borger: "ingen svarer" ({x})',
)
TOPICS = ("hjemmehjælp", "handicapbil", "merudgifter", "sygedagpenge", "fleksjob", "boligstøtte",
          "specialundervisning", "befordring", "byggetilladelse", "ejendomsskat", "renovation",
          "forældrebetaling", "aktivering", "ressourceforløb", "hjælpemidler", "parkering")


def _notes(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.01:
        target = rng.randint(4000, 12000)  # some kB: a long history pasted in
    else:
        target = int(min(3000, max(100, rng.lognormvariate(6.5, 0.6))))
    parts = [rng.choice(OPENERS)]
    size = len(parts[0])
    while size < target:
        if rng.random() < 0.03:
            s = rng.choice(RARE)
        elif rng.random() < 0.12:
            s = "\n"  # a new paragraph
        else:
            s = rng.choice(MIDDLE)
        parts.append(s)
        size += len(s) + 1
    if rng.random() < 0.5:
        parts.append(rng.choice(CLOSERS))
    text = ""
    for p in parts:
        if p == "\n":
            text += "\n\n"
        elif not text or text.endswith("\n"):
            text += p
        else:
            text += " " + p
    return text.strip() + ("\n" if rng.random() < 0.7 else "")


def _title(rng: random.Random) -> str:
    return rng.choice(TITLES).format(x=rng.choice(TOPICS))


# ---------------------------------------------------------------------------
# What is written


def make_plan(n: int, seed: int = SEED) -> tuple[list[Inq], list[Dec]]:
    from store.domain.taxonomy import default_settings

    rng = random.Random(seed)
    s = default_settings()
    depts = [d.name for d in s.departments]
    weights = [30, 18, 12, 6, 10, 20, 3, 5]
    aliases = [a for d in s.departments for a in d.aliases]
    themes = list(s.themes)
    days = (END - START).days
    taken: set[str] = set()

    def new_id(d: date) -> str:
        while True:
            rid = d.isoformat() + "-" + "".join(rng.choice(ALPHABET) for _ in range(4))
            if rid not in taken:
                taken.add(rid)
                return rid

    def department() -> str:
        r = rng.random()
        if r < UNKNOWN_DEPT_RATE:
            return rng.choice(UNKNOWN_DEPARTMENTS)
        if r < UNKNOWN_DEPT_RATE + 0.01:
            return rng.choice(aliases)  # an older name: counts as its department
        return rng.choices(depts, weights)[0]

    def point() -> tuple:
        t = rng.choice(themes)
        return (department(), t.name, rng.choice(t.subthemes) if t.subthemes else None)

    inquiries = []
    for _ in range(n):
        received = START + timedelta(days=rng.randint(0, days))
        closed_ = rng.random() < 0.85
        closed = received + timedelta(days=rng.randint(0, 90)) if closed_ else None
        channel = rng.choice(s.channels)
        if rng.random() < UNKNOWN_CHANNEL_RATE:
            channel = rng.choice(UNKNOWN_CHANNELS)
        follow = []
        if rng.random() < 0.25:
            follow = [point() for _ in range(rng.choice((1, 1, 1, 2, 3)))]
        citizen = None
        if rng.random() < 0.6:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            citizen = {"name": name}
            if rng.random() < 0.8:
                citizen["phone"] = rng.choice((
                    f"{rng.randint(20, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                    f"{rng.randint(10, 99)}",
                    f"+45 {rng.randint(20000000, 99999999)}"))
            if rng.random() < 0.5:
                citizen["email"] = name.lower().replace(" ", ".") + "@example.dk"
        extra = {}
        if rng.random() < 0.02:
            extra["journal_nr"] = f"{rng.randint(0, 99):02d}.{rng.randint(0, 99):02d}.00-A00-" \
                                  f"{rng.randint(1, 999)}-{received.year % 100:02d}"
        inquiries.append(Inq(
            id=new_id(received), received=received,
            kind=rng.choices(("complaint", "inquiry", "complaint-help"), (45, 45, 10))[0],
            status="closed" if closed_ else "open", closed=closed, channel=channel,
            title=_title(rng), notes=_notes(rng) if rng.random() < 0.97 else "",
            main=point(), follow_up=follow, citizen=citizen, extra=extra,
        ))
    appeals = []
    for _ in range(n // 5):
        received = START + timedelta(days=rng.randint(0, days))
        outcome = rng.choices(("no-remarks", "remarks", "rejected"), (60, 30, 10))[0]
        remarks = rng.sample(list(s.remark_themes), rng.randint(1, 2)) if outcome == "remarks" else []
        appeals.append(Dec(
            id=new_id(received), received=received, board=rng.choice(s.appeal_boards),
            department=department(), outcome=outcome, remarks=remarks,
            result=rng.choice(("Stadfæstet", "Ændret", "Hjemvist", "", None)),
            notes=_notes(rng) if rng.random() < 0.5 else rng.choice(("", None)),
        ))
    return inquiries, appeals


# ---------------------------------------------------------------------------
# TOML by hand, in many layouts


class Layout:
    """The choices for one file, and a count of how often each was made."""

    def __init__(self, rng: random.Random, seen: Counter) -> None:
        self.rng = rng
        self.seen = seen

    def pick(self, name: str, p: float) -> bool:
        yes = self.rng.random() < p
        if yes:
            self.seen[name] += 1
        return yes


def basic(s: str, lay: Layout, escape_letters: bool = False) -> str:
    out = []
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\u{ord(ch):04x}")
        elif escape_letters and ch in "æøåÆØÅ":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def string(s: str, lay: Layout) -> str:
    """A one-line string value: literal where it can be, else basic (with escapes)."""
    if "'" not in s and "\n" not in s and not any(ord(c) < 0x20 and c != "\t" for c in s) \
            and lay.pick("literal-string", 0.3):
        return "'" + s + "'"
    if lay.pick("escaped-letters", 0.05):
        return basic(s, lay, escape_letters=True)
    return basic(s, lay)


def multiline(s: str, lay: Layout) -> str:
    """A notes value: multi-line literal or basic, or one line with \\n escapes."""
    if "\n" not in s and len(s) < 200:
        return string(s, lay)
    ok_literal = "'''" not in s and not any(ord(c) < 0x20 and c not in "\t\n" for c in s)
    if ok_literal and lay.pick("multiline-literal", 0.25):
        return "'''\n" + s + "'''"
    if lay.pick("one-line-escaped-notes", 0.1):
        return basic(s, lay)
    lay.seen["multiline-basic"] += 1
    body = s.replace("\\", "\\\\")
    out = []
    run = 0
    for ch in body:  # at most two quotes in a row; the closing delimiter needs a non-quote before
        if ch == '"':
            run += 1
            out.append('\\"' if run >= 3 else '"')
            if run >= 3:
                run = 0
        else:
            run = 0
            if ord(ch) < 0x20 and ch not in "\t\n":
                out.append(f"\\u{ord(ch):04x}")
            else:
                out.append(ch)
    text = "".join(out)
    if text.endswith('"') and not text.endswith('\\"'):
        text = text[:-1] + '\\"'
    return '"""\n' + text + '"""'


def key(k: str, lay: Layout) -> str:
    return f'"{k}"' if lay.pick("quoted-key", 0.03) else k


def comment(lay: Layout) -> list[str]:
    if lay.pick("comment-line", 0.15):
        return [lay.rng.choice(("# registreret af Sagsportalen", "# importeret fra regneark",
                                "# NB: se også mail af 3. marts", "#"))]
    return []


def point_inline(p: tuple, lay: Layout) -> str:
    items = [f"department = {string(p[0], lay)}", f"theme = {string(p[1], lay)}"]
    if p[2] is not None:
        items.append(f"subtheme = {string(p[2], lay)}")
    return "{ " + ", ".join(items) + " }"


def point_lines(p: tuple, lay: Layout, prefix: str = "") -> list[str]:
    lines = [f"{prefix}department = {string(p[0], lay)}", f"{prefix}theme = {string(p[1], lay)}"]
    if p[2] is not None:
        lines.append(f"{prefix}subtheme = {string(p[2], lay)}")
    if lay.rng.random() < 0.3:
        lay.rng.shuffle(lines)
    return lines


def inquiry_text(r: Inq, lay: Layout) -> str:
    rng = lay.rng
    top = [
        (f"{key('id', lay)} = {string(r.id, lay)}", "id"),
        (f"{key('received', lay)} = {r.received.isoformat()}", "received"),
        (f"{key('kind', lay)} = {string(r.kind, lay)}", "kind"),
        (f"{key('status', lay)} = {string(r.status, lay)}", "status"),
    ]
    if r.closed is not None:
        top.append((f"closed = {r.closed.isoformat()}", "closed"))
    top.append((f"channel = {string(r.channel, lay)}", "channel"))
    top.append((f"title = {string(r.title, lay)}", "title"))
    top.append((f"notes = {multiline(r.notes, lay)}", "notes"))
    for k, v in r.extra.items():
        top.append((f"{k} = {string(v, lay)}", k))
    if lay.pick("key-order", 0.4):
        rng.shuffle(top)
    lines = comment(lay) + [t for t, _ in top]
    if lay.pick("trailing-comment", 0.1):
        lines[-1] += "   # " + rng.choice(("tjek", "se mail", "ok"))
    tables: list[list[str]] = []
    main_style = rng.random()
    if main_style < 0.15:
        lay.seen["main-inline"] += 1
        lines.append(f"main = {point_inline(r.main, lay)}")
    elif main_style < 0.22:
        lay.seen["main-dotted"] += 1
        lines += point_lines(r.main, lay, "main.")
    else:
        tables.append(["[main]", *point_lines(r.main, lay)])
    if r.follow_up:
        if lay.pick("follow-up-inline-array", 0.3):
            if rng.random() < 0.5:
                items = ", ".join(point_inline(p, lay) for p in r.follow_up)
                lines.append(f"follow_up = [{items}]")
            else:
                lines.append("follow_up = [")
                lines += [f"    {point_inline(p, lay)}," for p in r.follow_up]
                lines.append("]")
        else:  # one group: their order is the points' order
            group: list[str] = []
            for i, p in enumerate(r.follow_up):
                group += ([] if i == 0 else [""]) + ["[[follow_up]]", *point_lines(p, lay)]
            tables.append(group)
    if r.citizen is not None:
        c = [f"{k} = {string(v, lay)}" for k, v in r.citizen.items()]
        if lay.pick("citizen-inline", 0.1):
            lines.append("citizen = { " + ", ".join(c) + " }")
        else:
            tables.append(["[citizen]", *c])
    if len(tables) > 1 and lay.pick("table-order", 0.2):  # [citizen] before [main], say
        rng.shuffle(tables)
    for t in tables:
        if lay.pick("no-blank-line", 0.2):
            lines += t
        else:
            lines += ["", *t]
    return _finish(lines, lay)


def appeal_text(r: Dec, lay: Layout) -> str:
    top = [
        f"id = {string(r.id, lay)}",
        f"received = {r.received.isoformat()}",
        f"board = {string(r.board, lay)}",
        f"department = {string(r.department, lay)}",
        f"outcome = {string(r.outcome, lay)}",
    ]
    if r.remarks:
        items = [string(x, lay) for x in r.remarks]
        if lay.pick("remarks-multiline", 0.3):
            top.append("remarks = [\n" + "".join(f"  {x},\n" for x in items) + "]")
        else:
            top.append("remarks = [" + ", ".join(items) + "]")
    if r.result is not None:
        top.append(f"result = {string(r.result, lay)}")
    if r.notes is not None:
        top.append(f"notes = {multiline(r.notes, lay)}")
    if lay.pick("key-order", 0.4):
        lay.rng.shuffle(top)
    return _finish(comment(lay) + top, lay)


def _finish(lines: list[str], lay: Layout) -> str:
    if lay.pick("trailing-whitespace", 0.05):
        # only on lines that do not continue a multi-line string (where it would be content)
        lines = [ln + "  " if "\n" not in ln and not ln.endswith(("'''", '"""')) else ln
                 for ln in lines]
    if lay.pick("blank-lines", 0.1):
        lines = ["", *lines[:2], "", *lines[2:], ""]
    text = "\n".join(lines) + "\n"
    if lay.pick("crlf", 0.05):
        text = text.replace("\n", "\r\n")
    return text


# ---------------------------------------------------------------------------
# The folder


def settings_text() -> str:
    """caselog.toml with the default taxonomy (what ``caselog init`` writes, by hand)."""
    from store.domain.taxonomy import default_settings

    s = default_settings()

    def q(x: str) -> str:
        return '"' + x.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def lst(xs) -> str:
        return "[" + ", ".join(q(x) for x in xs) + "]"

    out = ["# caselog settings (written by another program)", "format = 1", 'language = "da"',
           'period_start = "04-01"', "", f"channels = {lst(s.channels)}",
           f"appeal_boards = {lst(s.appeal_boards)}", f"remark_themes = {lst(s.remark_themes)}"]
    for d in s.departments:
        out += ["", "[[departments]]", f"name = {q(d.name)}"]
        if d.short:
            out.append(f"short = {q(d.short)}")
        if d.aliases:
            out.append(f"aliases = {lst(d.aliases)}")
    for t in s.themes:
        out += ["", "[[themes]]", f"name = {q(t.name)}"]
        if t.subthemes:
            out.append(f"subthemes = {lst(t.subthemes)}")
    return "\n".join(out) + "\n"


def rel_path(kind_dir: str, rid: str) -> str:
    return f"{kind_dir}/{rid[:4]}/{rid[5:7]}/{rid}.toml"


def write(dest: Path, inquiries: list[Inq], appeals: list[Dec], seed: int = SEED) -> Counter:
    """Write the folder; returns how often each layout choice was made."""
    rng = random.Random(seed + 1)
    seen: Counter = Counter()
    old = os.umask(0o022)  # as git clone leaves a folder
    try:
        dest.mkdir(parents=True, exist_ok=True)
        os.chmod(dest, 0o755)
        (dest / "caselog.toml").write_text(settings_text(), encoding="utf-8")
        (dest / ".gitignore").write_text(".caselog/\n", encoding="utf-8")
        made: set[str] = set()
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        items = [("inquiries", r) for r in inquiries] + [("appeals", r) for r in appeals]
        for kind_dir, r in items:
            lay = Layout(rng, seen)
            text = inquiry_text(r, lay) if kind_dir == "inquiries" else appeal_text(r, lay)
            rel = rel_path(kind_dir, r.id)
            d = rel.rpartition("/")[0]
            if d not in made:
                os.makedirs(dest / d, mode=0o755, exist_ok=True)
                made.add(d)
            fd = os.open(dest / rel, flags, 0o644)
            try:
                os.write(fd, text.encode("utf-8"))
            finally:
                os.close(fd)
    finally:
        os.umask(old)
    return seen


def git_commit(dest: Path) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="Outside Generator", GIT_AUTHOR_EMAIL="gen@example.dk",
               GIT_COMMITTER_NAME="Outside Generator", GIT_COMMITTER_EMAIL="gen@example.dk")
    run = lambda *a: subprocess.run(["git", "-c", "gc.auto=0", *a], cwd=dest, env=env, check=True,  # noqa: E731
                                    stdout=subprocess.DEVNULL)
    run("init", "-q", "-b", "main")
    run("add", "-A")
    run("commit", "-q", "-m", "Import from the old case system")
    run("gc", "-q")  # one pack, not 120,000 loose objects: a clone takes seconds


def generate(n: int, dest: Path, seed: int = SEED, git: bool = False) -> tuple:
    """``(inquiries, appeals, layout counts)`` written into ``dest``."""
    inquiries, appeals = make_plan(n, seed)
    seen = write(dest, inquiries, appeals, seed)
    if git:
        git_commit(dest)
    return inquiries, appeals, seen


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("n", type=int, help="number of inquiries (appeal decisions: n/5)")
    p.add_argument("dest", help="the folder to write (must not hold records yet)")
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--git", action="store_true", help="git init and commit everything (one commit)")
    args = p.parse_args(argv)
    dest = Path(args.dest)
    if (dest / "inquiries").exists() or (dest / "appeals").exists():
        p.error(f"{dest} holds records already")
    t0 = time.perf_counter()
    inquiries, appeals, seen = generate(args.n, dest, args.seed, args.git)
    print(f"wrote {len(inquiries)} inquiries and {len(appeals)} appeal decisions to {dest} "
          f"in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    for name, k in sorted(seen.items()):
        print(f"  {name}: {k}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
