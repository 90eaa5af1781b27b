"""caselog.toml changed on two sides: merged as a taxonomy, nothing lost."""

from __future__ import annotations

import tomllib

import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from store.domain.taxonomy import default_settings, parse_settings, settings_to_toml
from store.git.settings_merge import (
    Conflict,
    conflict_copy_text,
    conflicts_of,
    merge_list,
    merge_settings,
)

BASE = settings_to_toml(default_settings()).encode()


def edit(text: bytes, old: str, new: str) -> bytes:
    s = text.decode()
    assert old in s, old
    return s.replace(old, new, 1).encode()


def merged_settings(base: bytes, ours: bytes, theirs: bytes):
    result = merge_settings(base, ours, theirs)
    assert result is not None
    return parse_settings(result.data.decode()), result.conflicts


def test_a_channel_on_one_side_and_an_alias_on_the_other_are_both_kept():
    ours = edit(BASE, '"Digital post"]', '"Digital post", "Sms"]')
    theirs = edit(BASE, 'name = "Børn & Familie"\nshort = "B&F"',
                  'name = "Børn & Familie"\nshort = "B&F"\naliases = ["Familieafdelingen"]')
    s, conflicts = merged_settings(BASE, ours, theirs)
    assert conflicts == []
    assert s.channels[-1] == "Sms" and "Sms" in s.channels
    assert s.department("Familieafdelingen").name == "Børn & Familie"
    assert s.department_names == default_settings().department_names


def test_additions_on_both_sides_keep_their_places():
    assert merge_list(["a", "b", "c"], ["a", "x", "b", "c"], ["a", "b", "y", "c"]) == \
        ["a", "x", "b", "y", "c"]
    assert merge_list(["a", "b"], ["a"], ["a", "b", "z"]) == ["a", "z"]  # ours removed b
    assert merge_list([], ["p"], ["q"]) == ["q", "p"] or merge_list([], ["p"], ["q"]) == ["p", "q"]


def test_a_rename_on_one_side_and_a_new_subtheme_on_the_other():
    ours = edit(BASE, 'name = "Miljø & Teknik"', 'name = "Klima & Miljø"\naliases = ["Miljø & Teknik"]')
    theirs = edit(BASE, '"Inddragelse",', '"Inddragelse",\n    "Ny undertema",')
    s, conflicts = merged_settings(BASE, ours, theirs)
    assert conflicts == []
    assert s.department("Miljø & Teknik").name == "Klima & Miljø"
    assert "Ny undertema" in s.theme("Forvaltningsskik").subthemes


def test_a_department_added_on_each_side():
    extra = '\n[[departments]]\nname = "{name}"\nshort = "{short}"\n'
    first = BASE.decode().index("[[themes]]")
    ours = (BASE.decode()[:first] + extra.format(name="Jobcenter", short="JC").lstrip("\n") + "\n"
            + BASE.decode()[first:]).encode()
    theirs = (BASE.decode()[:first] + extra.format(name="Borgerservice", short="BS").lstrip("\n")
              + "\n" + BASE.decode()[first:]).encode()
    s, conflicts = merged_settings(BASE, ours, theirs)
    assert conflicts == []
    names = s.department_names
    assert "Jobcenter" in names and "Borgerservice" in names
    assert len(names) == len(default_settings().department_names) + 2


def test_a_value_both_changed_differently_is_a_conflict_ours_kept():
    ours = edit(BASE, 'language = "da"', 'language = "en"')
    theirs = edit(BASE, 'language = "da"', 'language = "xx"')
    result = merge_settings(BASE, ours, theirs)
    assert result is not None
    assert result.conflicts == [Conflict("language", "en", "xx")]
    assert tomllib.loads(result.data.decode())["language"] == "en"
    copy = conflict_copy_text(theirs, result.conflicts)
    assert tomllib.loads(copy.decode()) == tomllib.loads(theirs.decode())  # the header is a comment
    assert conflicts_of(copy) == result.conflicts


def test_a_short_name_changed_on_both_sides():
    ours = edit(BASE, 'short = "B&F"', 'short = "BF"')
    theirs = edit(BASE, 'short = "B&F"', 'short = "BFam"')
    _s, conflicts = merged_settings(BASE, ours, theirs)
    assert conflicts == [Conflict("departments[Børn & Familie].short", "BF", "BFam")]


def test_unchanged_on_our_side_takes_theirs_bytes_and_vice_versa():
    theirs = edit(BASE, "# caselog settings", "# our office's settings\n# caselog settings")
    assert merge_settings(BASE, BASE, theirs).data == theirs
    assert merge_settings(BASE, theirs, BASE).data == theirs


def test_two_files_begun_apart_have_no_common_version():
    ours = edit(BASE, '"Digital post"]', '"Digital post", "Sms"]')
    theirs = edit(BASE, '"Brev",', '"Brev", "Fax",')
    s, conflicts = merged_settings(None, ours, theirs)
    assert conflicts == []
    assert {"Sms", "Fax"} <= set(s.channels)


def test_not_toml_is_left_to_git():
    theirs = edit(BASE, '"Brev",', '"Brev", "Fax",')
    assert merge_settings(BASE, b"this is [not toml", theirs) is None
    assert merge_settings(BASE, b"this is [not toml", BASE).data == b"this is [not toml"


words = st.lists(st.sampled_from("abcdefgh"), unique=True, max_size=6)


@given(words, words, words)
def test_merge_list_keeps_every_addition_and_repeats_nothing(base, ours, theirs):
    out = merge_list(base, ours, theirs)
    assert len(out) == len(set(out))
    added = (set(ours) - set(base)) | (set(theirs) - set(base))
    assert added <= set(out)
    removed = (set(base) - set(ours)) | (set(base) - set(theirs))
    assert not (removed & set(out))
    assert [x for x in out if x in ours] == [x for x in ours if x in out]  # ours' order kept


# ---------------------------------------------------------------------------
# Departments matched by name or alias: no side's department is ever dropped


def _depts(text: bytes) -> list[dict]:
    return tomllib.loads(text.decode())["departments"]


def _with_depts(text: bytes, depts: list[dict]) -> bytes:
    data = tomllib.loads(text.decode())
    data["departments"] = depts
    return tomli_w.dumps(data).encode()


def _labels(s) -> set[str]:
    return {x for d in s.departments for x in (d.name, *d.aliases)}


def test_a_department_split_in_two_on_one_side_keeps_both():
    # Miljø & Teknik split into Miljø and Teknik, both counting the old name
    depts = _depts(BASE)
    at = next(i for i, d in enumerate(depts) if d["name"] == "Miljø & Teknik")
    depts[at:at + 1] = [{"name": "Miljø", "aliases": ["Miljø & Teknik"]},
                        {"name": "Teknik", "aliases": ["Miljø & Teknik"]}]
    split = _with_depts(BASE, depts)
    other = edit(BASE, '"Digital post"]', '"Digital post", "Sms"]')
    for ours, theirs in ((split, other), (other, split)):
        s, _conflicts = merged_settings(BASE, ours, theirs)
        assert {"Miljø", "Teknik"} <= set(s.department_names)
        assert "Sms" in s.channels


def test_a_department_written_twice_by_hand_loses_neither():
    depts = _depts(BASE) + [{"name": "Øvrige", "short": "Ø2"}]
    ours = _with_depts(BASE, depts)
    theirs = edit(BASE, '"Digital post"]', '"Digital post", "Sms"]')
    result = merge_settings(BASE, ours, theirs)
    merged = _depts(result.data)
    assert [d for d in merged if d["name"] == "Øvrige"] == \
        [{"name": "Øvrige", "short": "Øvr.", "aliases": ["Øvr."]}, {"name": "Øvrige", "short": "Ø2"}]


NAMES = ["Jobcenter", "Borgerservice", "Klima", "Teknik", "Miljø"]
edits = st.lists(st.tuples(
    st.sampled_from(["channel", "drop-channel", "add", "rename", "delete", "alias", "split",
                     "short", "subtheme", "period"]),
    st.integers(0, 7), st.sampled_from(NAMES)), max_size=4)


def _apply(edits_: list) -> bytes:
    data = tomllib.loads(BASE.decode())
    depts = data["departments"]
    for op, i, name in edits_:
        at = i % len(depts) if depts else None
        if op == "channel" and name not in data["channels"]:
            data["channels"].append(name)
        elif op == "drop-channel" and data["channels"]:
            data["channels"].pop(i % len(data["channels"]))
        elif op == "add" and name not in {d["name"] for d in depts}:
            depts.insert(i % (len(depts) + 1), {"name": name})
        elif op == "rename" and at is not None and name not in {d["name"] for d in depts}:
            old = depts[at]["name"]
            depts[at] = dict(depts[at], name=name,
                             aliases=[*depts[at].get("aliases", []), old])
        elif op == "delete" and at is not None:
            depts.pop(at)
        elif op == "alias" and at is not None and name not in depts[at].get("aliases", []):
            depts[at] = dict(depts[at], aliases=[*depts[at].get("aliases", []), name])
        elif op == "split" and at is not None and name not in {d["name"] for d in depts}:
            old = depts[at]["name"]
            depts.insert(at + 1, {"name": name, "aliases": [old]})
        elif op == "short" and at is not None:
            depts[at] = dict(depts[at], short=name[:3])
        elif op == "subtheme":
            theme = data["themes"][i % len(data["themes"])]
            if name not in theme.get("subthemes", []):
                theme["subthemes"] = [*theme.get("subthemes", []), name]
        elif op == "period":
            data["period_start"] = f"{i % 12 + 1:02d}-01"
    return tomli_w.dumps(data).encode()


@given(edits, edits)
def test_settings_merged_from_any_edits_parse_and_keep_both_sides_additions(ours_edits,
                                                                          theirs_edits):
    base = parse_settings(BASE.decode())
    ours, theirs = _apply(ours_edits), _apply(theirs_edits)
    result = merge_settings(BASE, ours, theirs)
    assert result is not None
    s = parse_settings(result.data.decode())  # always a usable caselog.toml
    sides = (parse_settings(ours.decode()), parse_settings(theirs.decode()))
    for name in set(sides[0].department_names) & set(sides[1].department_names):
        assert name in s.department_names, name  # a department both sides have is never dropped
    for side in sides:
        assert set(side.channels) - set(base.channels) <= set(s.channels)
        for d in side.departments:
            if d.name not in base.department_names:
                assert d.name in _labels(s), d.name  # a new or renamed department is kept
        for t in side.themes:
            for sub in set(t.subthemes) - set((base.theme(t.name) or t).subthemes or ()):
                assert any(sub in x.subthemes for x in s.themes)


def test_the_same_alias_added_to_two_departments_is_a_conflict_ours_kept():
    # Each side counts "Familieafdelingen" under another department: merged
    # as both, its records would silently count under the first.
    ours = edit(BASE, 'name = "Børn & Familie"\nshort = "B&F"',
                'name = "Børn & Familie"\nshort = "B&F"\naliases = ["Familieafdelingen"]')
    theirs = edit(BASE, 'name = "Dagtilbud & Skole"\nshort = "D&S"',
                  'name = "Dagtilbud & Skole"\nshort = "D&S"\naliases = ["Familieafdelingen"]')
    s, conflicts = merged_settings(BASE, ours, theirs)
    assert s.department("Familieafdelingen").name == "Børn & Familie"
    assert [d.name for d in s.departments if "Familieafdelingen" in d.aliases] == ["Børn & Familie"]
    assert conflicts == [Conflict("departments[Dagtilbud & Skole].aliases", None,
                                  ["Familieafdelingen"])]
    # a new department of theirs named as ours' new alias: the same
    extra = '\n[[departments]]\nname = "Jobcenter"\naliases = ["Familieafdelingen"]\n'
    first = BASE.decode().index("[[themes]]")
    theirs = (BASE.decode()[:first] + extra.lstrip("\n") + "\n" + BASE.decode()[first:]).encode()
    s, conflicts = merged_settings(BASE, ours, theirs)
    assert s.department("Familieafdelingen").name == "Børn & Familie"
    assert s.department("Jobcenter").aliases == ()
    assert [c.where for c in conflicts] == ["departments[Jobcenter].aliases"]


def test_a_department_renamed_differently_on_both_sides_counts_both_names():
    # Records registered on their side under their new name still count under
    # the department (as an alias); ours' name is kept and the conflict said.
    ours = edit(BASE, 'name = "Miljø & Teknik"', 'name = "Klima & Miljø"\naliases = ["Miljø & Teknik"]')
    theirs = edit(BASE, 'name = "Miljø & Teknik"', 'name = "Teknik & Miljø"\naliases = ["Miljø & Teknik"]')
    s, conflicts = merged_settings(BASE, ours, theirs)
    assert [c.where for c in conflicts] == ["departments[Klima & Miljø].name"]
    assert s.department("Teknik & Miljø").name == "Klima & Miljø"
    assert s.department("Miljø & Teknik").name == "Klima & Miljø"
    assert len(s.departments) == len(default_settings().departments)
