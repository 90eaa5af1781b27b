"""caselog.toml changed on two sides: merged as a taxonomy, nothing lost."""

from __future__ import annotations

import tomllib

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
