"""The demo data folder: loads cleanly, gives the 2024/25 report's tables, is deterministic.

The published numbers are typed in here once more, from the seed report, and
not imported from store.tools.demo: a bug in the generator's input must fail here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from store.domain.periods import parse_period
from store.domain.summary import Tally, build_report, to_json
from store.folder.datafolder import DataFolder
from store.tools.demo import write_demo

BAE = "Borger, Arbejdsmarked & Erhverv"
BF = "Børn & Familie"
DS = "Dagtilbud & Skole"
KFE = "Kultur, Fritid & Ejendomme"
MT = "Miljø & Teknik"
ESS = "Ældre, Sundhed & Social"
OS = "Økonomi & Stab"
OVR = "Øvrige"
DEPTS = [BAE, BF, DS, KFE, MT, ESS, OS, OVR]

# Tabel 1 of the seed report: Hovedsag, Følgesager, Sager i alt.
TABEL1 = {
    BAE: (50, 10, 60),
    BF: (39, 12, 51),
    DS: (17, 9, 26),
    KFE: (5, 3, 8),
    MT: (4, 3, 7),
    ESS: (34, 4, 38),
    OS: (1, 0, 1),
    OVR: (12, 0, 12),
}

# Tabel 2 of the seed report, row by row as printed: BAE, B&F, D&S, KFE, M&T, ÆSS, Ø&S, Øvr., I alt.
TABEL2 = [
    ("Andet", None, 13, 12, 2, 1, 0, 6, 0, 10, 44),
    ("Andet", "Anden offentligretlig lovgivning", 12, 12, 2, 1, 0, 6, 0, 8, 41),
    ("Andet", "Privatretlige spørgsmål", 1, 0, 0, 0, 0, 0, 0, 2, 3),
    ("GDPR", None, 0, 1, 2, 0, 0, 1, 0, 0, 4),
    ("GDPR", "Behandlingssikkerhed", 0, 1, 0, 0, 0, 1, 0, 0, 2),
    ("GDPR", "Berigtigelse, sletning eller blokering", 0, 0, 1, 0, 0, 0, 0, 0, 1),
    ("GDPR", "Databehandlingsskik", 0, 0, 1, 0, 0, 0, 0, 0, 1),
    ("Forvaltningsloven", None, 7, 4, 4, 2, 2, 6, 0, 2, 27),
    ("Forvaltningsloven", "Begrundelse", 4, 1, 2, 1, 0, 4, 0, 0, 12),
    ("Forvaltningsloven", "Klagevejledning", 0, 0, 0, 0, 1, 0, 0, 2, 3),
    ("Forvaltningsloven", "Partsaktindsigt", 0, 1, 2, 0, 0, 1, 0, 0, 4),
    ("Forvaltningsloven", "Partshøring", 0, 1, 0, 1, 1, 0, 0, 0, 3),
    ("Forvaltningsloven", "Repræsentation", 0, 0, 0, 0, 0, 1, 0, 0, 1),
    ("Forvaltningsloven", "Vejledning", 3, 1, 0, 0, 0, 0, 0, 0, 4),
    ("Forvaltningsskik", None, 20, 23, 17, 3, 5, 16, 1, 0, 85),
    ("Forvaltningsskik", "Betjening af borgerne", 3, 0, 0, 2, 0, 3, 0, 0, 8),
    ("Forvaltningsskik", "Enkelhed og effektivitet", 0, 0, 1, 0, 0, 0, 0, 0, 1),
    ("Forvaltningsskik", "Inddragelse", 0, 6, 5, 0, 1, 0, 0, 0, 12),
    ("Forvaltningsskik", "Koordineret indsats", 1, 2, 0, 0, 0, 1, 0, 0, 4),
    ("Forvaltningsskik", "Opfølgning", 0, 0, 1, 0, 0, 0, 0, 0, 1),
    ("Forvaltningsskik", "Orientering om sagens gang eller status", 2, 2, 0, 0, 0, 2, 0, 0, 6),
    ("Forvaltningsskik", "Sagsbehandlingstid og manglende svar", 5, 6, 3, 0, 2, 5, 1, 0, 22),
    ("Forvaltningsskik", "Sprogbrug, klarhed, præcision m.v.", 1, 1, 0, 0, 1, 1, 0, 0, 4),
    ("Forvaltningsskik", "Venlig og hensynsfuld optræden", 4, 2, 0, 0, 0, 2, 0, 0, 8),
    ("Forvaltningsskik", "Åbenhed og tillid", 4, 4, 7, 1, 1, 2, 0, 0, 19),
    ("Hjemmelsspørgsmål", None, 6, 4, 1, 1, 0, 2, 0, 0, 14),
    ("Hjemmelsspørgsmål", "Afgørelser", 5, 4, 0, 0, 0, 2, 0, 0, 11),
    ("Hjemmelsspørgsmål", "Andre materielle spm", 1, 0, 1, 1, 0, 0, 0, 0, 3),
    ("Offentlighedsloven", None, 0, 3, 0, 1, 0, 0, 0, 0, 4),
    ("Offentlighedsloven", "Notatpligt", 0, 3, 0, 1, 0, 0, 0, 0, 4),
    ("Opgavevaretagelse", None, 11, 2, 0, 0, 0, 6, 0, 0, 19),
    ("Opgavevaretagelse", "Generelle serviceniveau", 10, 0, 0, 0, 0, 0, 0, 0, 10),
    ("Opgavevaretagelse", "Konkret serviceniveau", 1, 2, 0, 0, 0, 6, 0, 0, 9),
    ("Retsgrundsætninger", None, 3, 2, 0, 0, 0, 1, 0, 0, 6),
    ("Retsgrundsætninger", "Sagsoplysning og oplysningsskridt", 3, 2, 0, 0, 0, 1, 0, 0, 6),
]

# Tabel 3: Uden bemærkninger, Med bemærkninger, Klage afvist, Sager i alt
# ("Borger & Arbejdsmarked" in the report is BAE under its older name).
TABEL3 = {BF: (7, 10, 2, 19), BAE: (11, 14, 2, 27), ESS: (11, 7, 0, 18), DS: (0, 0, 0, 0)}

# Tabel 4: Utilstrækkelig begrundelse, Utilstrækkelig sagsoplysning, Sagsbehandlingstid.
TABEL4 = {BF: (6, 5, 3), BAE: (9, 6, 1), ESS: (2, 6, 1), DS: (0, 0, 0)}
REMARK_THEMES = ["Utilstrækkelig begrundelse", "Utilstrækkelig sagsoplysning", "Sagsbehandlingstid"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "data"
    write_demo(root)
    return root


@pytest.fixture(scope="module")
def loaded(demo):
    return DataFolder(demo).load()


def report(loaded, label: str) -> dict:
    s = loaded.settings
    tally = Tally.of(s, loaded.inquiries.values(), loaded.appeals.values())
    return to_json(build_report(tally, parse_period(label, s.period_start)))


def test_demo_loads_without_any_problem(loaded):
    assert [p.format() for p in loaded.problems] == []
    assert len(loaded.inquiries) > 400
    assert len(loaded.appeals) > 150


def test_headline_2024_25(loaded):
    j = report(loaded, "2024/25")
    assert j["period"] == {"label": "2024/25", "from": "2024-04-01", "to": "2025-03-31"}
    assert j["inquiries"] == 162
    assert j["points"] == 203
    assert j["kinds"] == {"complaint": 81, "inquiry": 81, "complaint-help": 12}


def test_tabel1_2024_25(loaded):
    j = report(loaded, "2024/25")
    rows = {r["name"]: (r["main"], r["follow_up"], r["total"]) for r in j["departments"]}
    assert [r["name"] for r in j["departments"]] == DEPTS
    assert rows == TABEL1
    assert sum(r[0] for r in rows.values()) == 162
    assert sum(r[1] for r in rows.values()) == 41


def test_tabel2_2024_25(loaded):
    j = report(loaded, "2024/25")
    got = {(r["theme"], r["subtheme"]): r for r in j["themes"]}
    published = {(t, s): nums for t, s, *nums in TABEL2}
    for key, nums in published.items():
        row = got[key]
        assert [row["by_department"][d] for d in DEPTS] == nums[:8], key
        assert row["total"] == nums[8], key
    for key, row in got.items():  # every row the report does not print is all zeros
        if key not in published:
            assert row["total"] == 0 and not any(row["by_department"].values()), key
    theme_rows = [r for r in j["themes"] if r["subtheme"] is None]
    assert sum(r["total"] for r in theme_rows) == 203


def test_tabel3_and_4_2024_25(loaded):
    a = report(loaded, "2024/25")["appeals"]
    assert (a["decisions"], a["decided"], a["with_remarks"]) == (64, 60, 31)
    rows = {r["name"]: (r["no_remarks"], r["remarks"], r["rejected"], r["total"])
            for r in a["by_department"]}
    for d in DEPTS:
        assert rows[d] == TABEL3.get(d, (0, 0, 0, 0)), d
    assert [r["name"] for r in a["remarks"]] == REMARK_THEMES
    for i, r in enumerate(a["remarks"]):
        for d in DEPTS:
            assert r["by_department"][d] == TABEL4.get(d, (0, 0, 0))[i], (r["name"], d)
    assert [r["total"] for r in a["remarks"]] == [17, 17, 5]


def test_appeals_are_consistent_and_use_the_old_department_name(loaded):
    period = parse_period("2024/25", loaded.settings.period_start)
    current = [a for a in loaded.appeals.values() if a.received in period]
    assert len(current) == 64
    for a in current:
        assert a.board == "Ankestyrelsen"
        assert bool(a.remarks) == (a.outcome == "remarks")
        assert len(set(a.remarks)) == len(a.remarks)
        assert (a.result == "Afvist") == (a.outcome == "rejected")
    assert any(a.department == "Borger & Arbejdsmarked" for a in current)
    assert any(a.department == BAE for a in current)


def test_inquiries_2024_25_dates_status_citizens(loaded):
    period = parse_period("2024/25", loaded.settings.period_start)
    current = [r for r in loaded.inquiries.values() if r.received in period]
    assert len(current) == 174  # 162 + 12 complaint-help
    open_ = [r for r in current if r.status == "open"]
    assert 5 <= len(open_) <= 10
    latest = sorted(r.received for r in current)[-len(open_)]
    assert all(r.received >= latest for r in open_)
    for r in current:
        assert r.received.weekday() < 5
        assert r.title and r.notes and r.channel
        if r.status == "closed":
            assert 3 <= (r.closed - r.received).days <= 60
            assert r.closed.isoformat() <= "2025-05-15"
        assert len(r.follow_up) <= 3
    channels = [r.channel for r in current]
    assert channels.count("Telefon") + channels.count("Mail") > len(current) / 2
    with_citizen = [r for r in current if r.citizen is not None]
    assert 0.05 * len(current) <= len(with_citizen) <= 0.3 * len(current)
    # A follow-up in another department than the main issue (as in Case 5).
    assert any(p.department != r.main.department for r in current for p in r.follow_up)


def test_earlier_periods_on_the_same_level(loaded):
    for label in ("2022/23", "2023/24"):
        j = report(loaded, label)
        assert 140 <= j["inquiries"] <= 190, label
        assert 180 <= j["points"] <= 225, label
        assert 45 <= j["appeals"]["decisions"] <= 75, label
        assert all(r["total"] > 0 for r in j["departments"] if r["name"] in (BAE, BF, DS, ESS))
    bf = {label: next(r["total"] for r in report(loaded, label)["departments"] if r["name"] == BF)
          for label in ("2022/23", "2023/24", "2024/25")}
    assert bf["2023/24"] < bf["2022/23"] and bf["2023/24"] < bf["2024/25"]


CASES = [
    # (characteristic words, department, theme, subtheme of the main issue)
    (("aktiveringsforløb", "fleksjob"), BAE, "Andet", "Anden offentligretlig lovgivning"),
    (("tabt arbejdsfortjeneste", "Barnets Lov"), BF, "Forvaltningsloven", "Vejledning"),
    (("elevsammensætning",), DS, "Forvaltningsskik", "Åbenhed og tillid"),
    (("fjerne mine børn",), BF, "Forvaltningsskik", "Åbenhed og tillid"),
    (("Ydelsescenteret", "Familieafsnittet", "kontanthjælp"), BAE, "Forvaltningsskik",
     "Venlig og hensynsfuld optræden"),
    (("hjemmesygeplejen",), ESS, "Forvaltningsskik", "Koordineret indsats"),
    (("37 timer", "synshandicap"), BAE, "Forvaltningsloven", "Begrundelse"),
    (("rollator", "færdigafklaret"), ESS, "Forvaltningsloven", "Begrundelse"),
    (("skoleskift", "partshørt"), DS, "Forvaltningsloven", "Begrundelse"),
]


@pytest.mark.parametrize("words, dept, theme, subtheme", CASES,
                         ids=[f"case{i}" for i in range(1, 10)])
def test_report_cases_are_among_the_inquiries(loaded, words, dept, theme, subtheme):
    period = parse_period("2024/25", loaded.settings.period_start)
    found = [r for r in loaded.inquiries.values()
             if r.received in period and all(w.lower() in r.notes.lower() for w in words)]
    assert len(found) == 1, words
    r = found[0]
    assert (r.main.department, r.main.theme, r.main.subtheme) == (dept, theme, subtheme)
    assert r.status == "closed" and r.kind != "complaint-help" and r.citizen is None


def test_case5_involves_two_departments(loaded):
    r = next(r for r in loaded.inquiries.values() if "Ydelsescenteret" in r.notes
             and "Familieafsnittet" in r.notes and r.main.subtheme == "Venlig og hensynsfuld optræden")
    assert r.main.department == BAE
    assert [p.department for p in r.follow_up] == [BF]


def _tree(root: Path) -> dict[str, bytes]:
    """Every file of the folder and its bytes; git's own store (``.git/``, if
    ``DataFolder.init`` made one) holds timestamps and is left out."""
    out = {}
    for dirpath, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != ".git")
        for name in files:
            p = Path(dirpath, name)
            out[p.relative_to(root).as_posix()] = p.read_bytes()
    return out


def test_deterministic(demo, tmp_path):
    write_demo(tmp_path / "again")
    first, second = _tree(demo), _tree(tmp_path / "again")
    assert sorted(first) == sorted(second)
    assert first == second
    assert sum(1 for k in first if k.endswith(".toml")) > 500


def test_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        write_demo(tmp_path / "x")
    assert (tmp_path / "x" / "notes.txt").read_text() == "mine"
    assert not (tmp_path / "x" / "caselog.toml").exists()


def test_empty_folder_is_fine(tmp_path):
    (tmp_path / "empty").mkdir()
    folder = write_demo(tmp_path / "empty", "en")
    assert folder.settings().language == "en"
    assert not folder.load().problems


def test_store_does_not_import_the_interface():
    import store.tools.demo

    text = Path(store.tools.demo.__file__).read_text(encoding="utf-8")
    assert "textual" not in text and "import rich" not in text and "from rich" not in text
