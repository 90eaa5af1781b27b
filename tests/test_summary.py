"""The summary tables of REPORT.md and the tally that keeps them up to date."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from store.domain.periods import parse_period
from store.domain.records import Appeal, Inquiry, Point
from store.domain.summary import (
    Tally,
    across_periods,
    appeal_summary,
    build_report,
    headline,
    table1,
    table2,
    table3,
    table4,
    to_json,
)
from store.domain.taxonomy import default_settings

S = default_settings()
BAE = "Borger, Arbejdsmarked & Erhverv"
BF = "Børn & Familie"
P2024 = parse_period("2024/25", S.period_start)

_n = iter(range(10**6))


def inq(dept=BF, theme="Andet", sub="Privatretlige spørgsmål", *follow, kind="complaint",
        received=date(2024, 6, 1)) -> Inquiry:
    rid = f"{received.isoformat()}-{next(_n) % 10000:04d}"
    return Inquiry(id=rid, received=received, kind=kind, status="open",
                   main=Point(dept, theme, sub), follow_up=tuple(Point(*f) for f in follow))


def app(dept=BF, outcome="no-remarks", *remarks, received=date(2024, 6, 1)) -> Appeal:
    rid = f"{received.isoformat()}-{next(_n) % 10000:04d}"
    return Appeal(id=rid, received=received, board="Ankestyrelsen", department=dept,
                  outcome=outcome, remarks=tuple(remarks))


def test_aliases_count_as_their_department():
    t = Tally.of(S, [inq("Borger & Arbejdsmarked"), inq("borger,  arbejdsmarked & erhverv"),
                     inq(BAE, "Andet", "Privatretlige spørgsmål", ("Øvr.", "GDPR", "Behandlingssikkerhed"))],
                 [app("Borger & Arbejdsmarked", "remarks", "Sagsbehandlingstid")])
    c = t.counts(P2024)
    rows = {r.name: (r.main, r.follow_up, r.total) for r in table1(S, c)}
    assert rows[BAE] == (3, 0, 3)
    assert rows["Øvrige"] == (0, 1, 1)
    assert "Borger & Arbejdsmarked" not in rows and "Øvr." not in rows
    assert [r.name for r in table1(S, c)] == list(S.department_names)
    a = {r.name: r for r in table3(S, c)}
    assert (a[BAE].remarks, a[BAE].total) == (1, 1)
    remarks = {r.name: r.by_department for r in table4(S, c)}
    assert remarks["Sagsbehandlingstid"][BAE] == 1


def test_unknown_names_count_under_their_own_name_after_the_taxonomy():
    t = Tally.of(S, [inq("Zebra", "Vejr", None), inq("Alfa", "Andet", "Nyt undertema"),
                     inq(BF, "Andet", "Privatretlige spørgsmål")],
                 [app("Appelsin")])
    c = t.counts(P2024)
    names = [r.name for r in table1(S, c)]
    assert names == list(S.department_names) + ["Alfa", "Appelsin", "Zebra"]
    rows = {r.name: r.total for r in table1(S, c)}
    assert (rows["Alfa"], rows["Zebra"], rows["Appelsin"]) == (1, 1, 0)
    t2 = table2(S, c)
    themes = [r.theme for r in t2 if r.is_theme]
    assert themes == [t.name for t in S.themes] + ["Vejr"]
    andet = [r.subtheme for r in t2 if r.theme == "Andet" and not r.is_theme]
    assert andet == ["Anden offentligretlig lovgivning", "Privatretlige spørgsmål", "Nyt undertema"]
    vejr = [r for r in t2 if r.theme == "Vejr"]
    assert len(vejr) == 1 and vejr[0].by_department["Zebra"] == 1 and vejr[0].total == 1
    assert [r.name for r in table3(S, c)][-1] == "Zebra"
    assert {r.name: r.total for r in table3(S, c)}["Appelsin"] == 1


def test_complaint_help_is_left_out_of_tables_1_and_2_but_counted_in_kinds():
    t = Tally.of(S, [inq(kind="complaint"), inq(kind="inquiry"),
                     inq(BAE, "GDPR", "Databehandlingsskik", (BF, "GDPR", "Databehandlingsskik"),
                         kind="complaint-help")])
    c = t.counts(P2024)
    h = headline(c)
    assert (h.inquiries, h.points, h.complaint, h.inquiry, h.complaint_help) == (2, 2, 1, 1, 1)
    assert h.share(h.complaint) == 50.0
    assert sum(r.total for r in table1(S, c)) == 2
    assert {r.name: r.total for r in table1(S, c)}[BAE] == 0
    gdpr = [r for r in table2(S, c) if r.theme == "GDPR"]
    assert all(r.total == 0 for r in gdpr)
    j = to_json(build_report(t, P2024))
    assert j["kinds"] == {"complaint": 1, "inquiry": 1, "complaint-help": 1}
    assert (j["inquiries"], j["points"]) == (2, 2)


def test_points_main_and_follow_up():
    t = Tally.of(S, [inq(BAE, "Andet", "Privatretlige spørgsmål",
                         (BF, "Forvaltningsskik", "Opfølgning"), (BAE, "GDPR", "Databehandlingsskik"))])
    rows = {r.name: (r.main, r.follow_up) for r in table1(S, t.counts(P2024))}
    assert rows[BAE] == (1, 1) and rows[BF] == (0, 1)
    assert headline(t.counts(P2024)).points == 3


themes_and_subs = st.sampled_from(
    [(t.name, s) for t in S.themes for s in t.subthemes] + [("Vejr", None), ("Andet", "Nyt")]
)
depts = st.sampled_from(list(S.department_names) + ["Borger & Arbejdsmarked", "Øvr.", "Ukendt"])
points = st.builds(lambda d, ts: (d, *ts), depts, themes_and_subs)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(points, min_size=1, max_size=4), max_size=12))
def test_table2_theme_row_is_the_sum_of_its_subthemes(inquiries):
    t = Tally.of(S, [inq(*ps[0], *ps[1:]) for ps in inquiries])
    c = t.counts(P2024)
    rows = table2(S, c)
    depts_ = list(rows[0].by_department)
    for i, r in enumerate(rows):
        if not r.is_theme:
            continue
        subs = []
        for s in rows[i + 1:]:
            if s.is_theme:
                break
            subs.append(s)
        if subs:
            for d in depts_:
                assert r.by_department[d] == sum(s.by_department[d] for s in subs)
    assert sum(r.total for r in rows if r.is_theme) == headline(c).points
    assert [r.total for r in table1(S, c)] == [
        sum(r.by_department[d] for r in rows if r.is_theme) for d in depts_]


def test_appeals_decided_excludes_rejected_and_remarks_do_not_add_up():
    t = Tally.of(S, [], [
        app(BF, "remarks", "Utilstrækkelig begrundelse", "Sagsbehandlingstid"),
        app(BF, "remarks", "Utilstrækkelig begrundelse"),
        app(BF, "no-remarks"), app(BAE, "rejected"), app(BAE, "remarks", "Ny bemærkning"),
    ])
    c = t.counts(P2024)
    a = appeal_summary(c)
    assert (a.decisions, a.decided, a.with_remarks) == (5, 4, 3)
    rows = {r.name: (r.no_remarks, r.remarks, r.rejected, r.total) for r in table3(S, c)}
    assert rows[BF] == (1, 2, 0, 3) and rows[BAE] == (0, 1, 1, 2)
    t4 = {r.name: r for r in table4(S, c)}
    assert list(t4) == list(S.remark_themes) + ["Ny bemærkning"]
    assert t4["Utilstrækkelig begrundelse"].by_department[BF] == 2
    assert t4["Utilstrækkelig begrundelse"].total == 2
    assert sum(r.total for r in t4.values()) == 4  # more than the 3 decisions with remarks


def test_json_contract():
    t = Tally.of(S, [inq(BAE), inq("Ukendt", "GDPR", "Behandlingssikkerhed"),
                     inq(BF, received=date(2023, 6, 1))],
                 [app(BF, "remarks", "Sagsbehandlingstid"), app(BF, "rejected")])
    j = to_json(build_report(t, P2024, ["w1"]))
    json.dumps(j)
    assert list(j) == ["period", "inquiries", "points", "kinds", "departments", "themes",
                       "appeals", "warnings"]
    assert j["period"] == {"label": "2024/25", "from": "2024-04-01", "to": "2025-03-31"}
    assert (j["inquiries"], j["points"]) == (2, 2)
    assert j["warnings"] == ["w1"]
    names = list(S.department_names) + ["Ukendt"]
    assert [d["name"] for d in j["departments"]] == names
    assert all(list(d) == ["name", "main", "follow_up", "total"] for d in j["departments"])
    assert {d["name"]: d["total"] for d in j["departments"]}[BAE] == 1
    # every theme and subtheme, zero or not; every department in every by_department
    expected_rows = [(t.name, s) for t in S.themes for s in (None, *t.subthemes)]
    assert [(r["theme"], r["subtheme"]) for r in j["themes"]] == expected_rows
    for r in j["themes"]:
        assert list(r) == ["theme", "subtheme", "by_department", "total"]
        assert list(r["by_department"]) == names
        assert r["total"] == sum(r["by_department"].values())
    gdpr = next(r for r in j["themes"] if r["subtheme"] == "Behandlingssikkerhed")
    assert gdpr["by_department"]["Ukendt"] == 1 and gdpr["by_department"][BF] == 0
    ap = j["appeals"]
    assert list(ap) == ["decisions", "decided", "with_remarks", "by_department", "remarks"]
    assert (ap["decisions"], ap["decided"], ap["with_remarks"]) == (2, 1, 1)
    assert [d["name"] for d in ap["by_department"]] == names
    assert {d["name"]: d for d in ap["by_department"]}[BF] == {
        "name": BF, "no_remarks": 0, "remarks": 1, "rejected": 1, "total": 2}
    assert [r["name"] for r in ap["remarks"]] == list(S.remark_themes)
    for r in ap["remarks"]:
        assert list(r["by_department"]) == names


def test_previous_period_beside_the_current():
    t = Tally.of(S, [inq(BAE), inq(BAE, received=date(2023, 6, 1)),
                     inq("Gammel", "Vejr", None, received=date(2023, 7, 1))])
    r = build_report(t, P2024)
    assert r.previous.label == "2023/24"
    assert r.departments[-1] == "Gammel"
    assert {x.name: x.total for x in r.prev_table1}[BAE] == 1
    assert {x.name: x.total for x in r.table1}["Gammel"] == 0
    assert r.prev_headline.inquiries == 2


def _zero(c) -> bool:
    return c.inquiries == 0 and all(
        n == 0 for counter in (c.kinds, c.main, c.follow_up, c.cells, c.appeals, c.remarks)
        for n in counter.values())


def test_add_then_remove_returns_to_zero():
    t = Tally(S)
    records = [inq(BAE, "Andet", "Privatretlige spørgsmål", (BF, "GDPR", "Behandlingssikkerhed")),
               inq(kind="complaint-help"), app(BF, "remarks", "Sagsbehandlingstid")]
    for r in records:
        t.add(r)
    assert not t.counts(P2024).is_empty()
    for r in records:
        t.remove(r)
    assert _zero(t.counts(P2024))
    assert t.counts(P2024).is_empty()
    assert t.active_periods() == []


# Incremental updates equal a recount ------------------------------------------

IDS = [f"2024-01-01-{c}aaa" for c in "abcdef"]
received = st.sampled_from([date(2023, 5, 1), date(2024, 3, 31), date(2024, 4, 1), date(2025, 1, 9)])
kinds = st.sampled_from(["complaint", "inquiry", "complaint-help"])


@st.composite
def records(draw):
    rid = draw(st.sampled_from(IDS))
    if draw(st.booleans()):
        ps = draw(st.lists(points, min_size=1, max_size=3))
        return Inquiry(id=rid, received=draw(received), kind=draw(kinds), status="open",
                       main=Point(*ps[0]), follow_up=tuple(Point(*p) for p in ps[1:]))
    outcome = draw(st.sampled_from(["no-remarks", "remarks", "rejected"]))
    remarks = draw(st.lists(st.sampled_from(list(S.remark_themes) + ["X"]), min_size=1, max_size=2,
                            unique=True)) if outcome == "remarks" else []
    return Appeal(id="x" + rid, received=draw(received), board="Ankestyrelsen",
                  department=draw(depts), outcome=outcome, remarks=tuple(remarks))


ops = st.lists(st.one_of(st.tuples(st.just("put"), records()),
                         st.tuples(st.just("delete"), st.sampled_from(IDS + ["x" + i for i in IDS]))),
               max_size=25)


@settings(max_examples=80, deadline=None)
@given(ops)
def test_incremental_tally_equals_a_recount(operations):
    t = Tally(S)
    current: dict = {}
    for op, arg in operations:
        if op == "put":
            t.replace(current.get(arg.id), arg)
            current[arg.id] = arg
        else:
            t.replace(current.pop(arg, None), None)
    fresh = Tally.of(S, [r for r in current.values() if isinstance(r, Inquiry)],
                     [r for r in current.values() if isinstance(r, Appeal)])
    assert t.active_periods() == fresh.active_periods()
    for p in set(t.periods) | set(fresh.periods):
        assert t.counts(p) == fresh.counts(p)
        assert to_json(build_report(t, p)) == to_json(build_report(fresh, p))
    if not current:
        assert all(_zero(c) for c in t.periods.values())


def test_counter_equality_ignores_zeros():
    # the comparison above relies on it (Python 3.10+)
    assert Counter({"a": 0}) == Counter()


# Periods ------------------------------------------------------------------------


def test_default_period_is_today_or_the_latest_with_records():
    today = date(2025, 6, 1)  # in 2025/26
    empty = Tally(S)
    assert empty.default_period(today).label == "2025/26"
    t = Tally.of(S, [inq(received=date(2022, 5, 1)), inq(received=date(2023, 5, 1))])
    assert t.default_period(today).label == "2023/24"
    t.add(inq(received=date(2025, 4, 1)))
    assert t.default_period(today).label == "2025/26"
    only_future = Tally.of(S, [inq(received=date(2027, 5, 1))])
    assert only_future.default_period(today).label == "2027/28"
    removed = Tally.of(S, [inq(received=date(2022, 5, 1))])
    r = inq(received=date(2025, 5, 1))
    removed.add(r)
    removed.remove(r)  # an emptied current period does not count as having records
    assert removed.default_period(today).label == "2022/23"


def test_across_periods():
    t = Tally.of(S, [inq(BAE, received=date(2022, 5, 1)),
                     inq(BAE, "Andet", "Privatretlige spørgsmål", (BF, "GDPR", "Behandlingssikkerhed"),
                         received=date(2024, 5, 1)),
                     inq("Ukendt", received=date(2023, 5, 1)),
                     inq(BAE, received=date(2021, 5, 1))])
    periods, rows = across_periods(t, P2024, 3)
    assert [p.label for p in periods] == ["2022/23", "2023/24", "2024/25"]
    by = dict(rows)
    assert [d for d, _ in rows] == list(S.department_names) + ["Ukendt"]
    assert by[BAE] == [1, 0, 1]
    assert by[BF] == [0, 0, 1]
    assert by["Ukendt"] == [0, 1, 0]
    periods, rows = across_periods(t, P2024, 1)
    assert [p.label for p in periods] == ["2024/25"]
    assert "Ukendt" not in dict(rows)


def test_point_without_subtheme_gets_its_own_row_so_the_theme_row_still_sums():
    from store.domain.summary import NO_SUBTHEME

    t = Tally.of(S, [inq(BF, "GDPR", None), inq(BF, "GDPR", "Behandlingssikkerhed")])
    rows = table2(S, t.counts(P2024))
    gdpr = [r for r in rows if r.theme == "GDPR"]
    assert gdpr[0].subtheme is None and gdpr[0].by_department[BF] == 2
    assert gdpr[-1].subtheme == NO_SUBTHEME and gdpr[-1].by_department[BF] == 1
    assert sum(r.by_department[BF] for r in gdpr[1:]) == gdpr[0].by_department[BF]



def test_add_many_counts_as_add_does():
    """Tally.add_many (records given as plain tuples, counted a period at a time) is
    Tally.add of the records, on the demo's three periods and a few odd ones."""
    from datetime import date

    from store.domain.records import Appeal, Inquiry, Point
    from store.domain.summary import Tally
    from store.domain.taxonomy import default_settings
    from store.tools.demo import demo_records

    s = default_settings()
    inquiries, appeals = demo_records()
    odd = [
        Inquiry("2024-04-01-aaaa", date(2024, 4, 1), "complaint-help", "open",
                Point("Jobcenter", "Andet", None)),
        Inquiry("2024-03-31-aaaa", date(2024, 3, 31), "inquiry", "open",
                Point("Borger & Arbejdsmarked", "GDPR", "Databehandlingsskik"),
                follow_up=(Point("Øvr.", "Ukendt tema", "x"), Point("Øvrige", "GDPR", None))),
    ]
    inquiries = [*inquiries, *odd]
    appeals = [*appeals, Appeal("2020-01-01-aaaa", date(2020, 1, 1), "X", "Ukendt", "remarks",
                                ("a", "a", "b"))]
    expected = Tally.of(s, inquiries, appeals)
    got = Tally(s)
    got.add_many([(r.received.toordinal(), r.kind,
                   tuple((p.department, p.theme, p.subtheme) for p in r.points))
                  for r in inquiries],
                 [(a.received.toordinal(), a.department, a.outcome, a.remarks) for a in appeals])
    assert got.periods == expected.periods
    assert len(got.periods) >= 4
