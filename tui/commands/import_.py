"""caselog import FOLDER FILE [--sheet NAME|NUMBER] [--map MAP.toml] [--show-mapping] [--apply]."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from store.domain.periods import period_of
from store.domain.summary import Tally, build_report
from store.sheets import SheetError
from store.sheets.apply import apply_plan, commit_import
from store.sheets.build import Plan, plan_import
from store.sheets.mapping import CODE_FIELDS, HEADERS, Mapping, load_mapping, mapping_to_toml
from store.sheets.read import read_table

from ..errors import CommandError
from ..i18n import language, t
from .common import load

HELP = (
    "Import inquiries from a spreadsheet (.xlsx or .csv) kept before caselog: one row per "
    "inquiry (follow-ups in numbered columns such as 'Afdeling 2') or one row per issue "
    "(grouped by case number). Shows what it would do; nothing is written without --apply."
)
SAMPLE = 3


def add_arguments(p) -> None:
    p.add_argument("folder", help="the data folder to import into")
    p.add_argument("file", help="the spreadsheet: .xlsx or .csv (';' ',' tab or '|', UTF-8 or cp1252)")
    p.add_argument("--sheet", help="the sheet of an xlsx file, by name or number (default: the first)")
    p.add_argument("--map", help="a mapping file (TOML) naming the columns and translating values")
    p.add_argument("--show-mapping", action="store_true",
                   help="print the mapping in use as a file to edit and pass back with --map")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true",
                      help="show what would be imported (the default)")
    mode.add_argument("--apply", action="store_true", help="write the records (and commit them)")


def _rows(rows: list[int], limit: int = 12) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (f" (+{len(rows) - limit})" if len(rows) > limit else "")


def _fail(file: str, e: SheetError) -> CommandError:
    return CommandError(t("sheets.import.cannot", file=file,
                          detail=t(f"sheets.err.{e.code}", **e.params)))


def make_plan(args, result) -> tuple[Plan, Mapping]:
    try:
        mapping = load_mapping(args.map) if args.map else Mapping()
        table = read_table(args.file, args.sheet)
    except SheetError as e:
        raise _fail(args.file, e) from None
    source = Path(args.file).name + (f"[{table.sheet}]" if args.sheet else "")
    existing = {r.source for r in result.inquiries.values() if r.source}
    try:
        plan = plan_import(table, result.settings, mapping, existing, source_name=source,
                           existing_ids=result.paths)
    except SheetError as e:
        raise _fail(args.file, e) from None
    return plan, mapping


def check_columns(plan: Plan, args) -> None:
    cols = plan.columns
    if cols.missing:
        headers = ", ".join(f"{f} = '{h}'" for f, h in
                            ((f, plan_mapping_header(args, f)) for f in cols.missing))
        raise CommandError(t("sheets.import.missing_headers", file=args.file,
                             row=cols.header_row, headers=headers))
    if cols.header_row == 0 or not cols.index:
        raise CommandError(t("sheets.import.no_header", file=args.file))
    if plan.missing_fields:
        fields = ", ".join(f"{f} ({'/'.join(h.capitalize() for h in HEADERS[f][:3])})"
                           for f in plan.missing_fields)
        raise CommandError(t("sheets.import.missing_fields", file=args.file, folder=args.folder,
                             fields=fields))


def plan_mapping_header(args, f: str) -> str:
    try:
        return load_mapping(args.map).columns.get(f, f) if args.map else f
    except SheetError:
        return f


def why(p) -> str:
    params = dict(p.params)
    if p.code == "invalid":
        params["problem"] = p.params["problem"].message(language())
    if p.code == "group":
        params["rows"] = _rows(p.params["rows"])
    return t(f"sheets.why.{p.code}", **params)


def describe(plan: Plan, settings, out) -> None:
    """Everything --apply would do, and every row it would leave out."""
    describe_counts(plan, out)
    if plan.drafts:
        print("", file=out)
        describe_tables(plan, settings, out)
    describe_rows(plan, out)


def describe_counts(plan: Plan, out) -> None:
    """What was read, what would be created, and a sample (no personal data)."""
    table, cols = plan.table, plan.columns
    where = t("sheets.import.sheet", sheet=table.sheet) if table.sheet else \
        t("sheets.import.csv", delimiter=repr(table.delimiter), encoding=table.encoding)
    body = [r for r in table.rows if r.number > cols.header_row]
    print(t("sheets.import.read", file=table.name, where=where, header=cols.header_row,
            rows=len(body)), file=out)
    if cols.unused:
        print(t("sheets.import.unused", headers=", ".join(f"'{h}'" for h in cols.unused)), file=out)
    inquiries = plan.inquiries
    kinds = Counter(r.kind for r in inquiries)
    print(t("sheets.import.would", n=len(inquiries), points=sum(len(r.points) for r in inquiries),
            rows=sum(len(d.rows) for d in plan.drafts)), file=out)
    if inquiries:
        print(t("sheets.import.kinds", complaint=kinds["complaint"], inquiry=kinds["inquiry"],
                help=kinds["complaint-help"],
                open=sum(1 for r in inquiries if r.status == "open")), file=out)
    if plan.already:
        print(t("sheets.import.already", n=len(plan.already)), file=out)
    if plan.drafts:
        print("", file=out)
        print(t("sheets.import.sample", n=min(SAMPLE, len(plan.drafts))), file=out)
        for d in plan.drafts[:SAMPLE]:
            r = d.inquiry
            print(t("sheets.import.sample_row", rows=_rows(d.rows), received=r.received.isoformat(),
                    kind=t(f"sheets.kind.{r.kind}"), status=t(f"sheets.status.{r.status}"),
                    department=r.main.department, theme=r.main.theme,
                    subtheme=f" / {r.main.subtheme}" if r.main.subtheme else "",
                    follow=t("sheets.import.follow", n=len(r.follow_up)) if r.follow_up else ""),
                  file=out)


def describe_tables(plan: Plan, settings, out) -> None:
    """The report's tables of the inquiries that would be created, period by period."""
    from .report import render

    inquiries = plan.inquiries
    print(t("sheets.import.tables"), file=out)
    tally = Tally.of(settings, inquiries)
    for period in sorted({period_of(r.received, settings.period_start) for r in inquiries}):
        print("", file=out)
        out.write(render(build_report(tally, period), "text"))


def describe_rows(plan: Plan, out) -> None:
    """Values read loosely, values not understood, and the rows that cannot be used, with why."""
    # Codes (kind, status, role) read from their usual words are not worth a line.
    loose = [(f, v, m, rows) for (f, v), (m, rows) in plan.seen.items()
             if m is not None and f not in CODE_FIELDS]
    if loose:
        print("", file=out)
        print(t("sheets.import.loose"), file=out)
        for f, v, m, rows in loose:
            print(t("sheets.import.loose_row", field=t(f"sheets.col.{f}"), value=v, meaning=m,
                    rows=_rows(rows)), file=out)
    unmatched = plan.unmatched
    if unmatched:
        print("", file=out)
        print(t("sheets.import.unmatched", n=len(unmatched)), file=out)
        for f, v, rows in unmatched:
            print(t("sheets.import.unmatched_row", value=v, column=t(f"sheets.col.{f}"),
                    rows=_rows(rows)), file=out)
    if plan.problems:
        print("", file=out)
        print(t("sheets.import.problems", n=len(plan.problem_rows)), file=out)
        for p in plan.problems:
            print(t("sheets.import.problem", rows=_rows(p.rows), why=why(p)), file=out)


def run(args) -> int:
    folder, result = load(args.folder, args.lang)
    plan, mapping = make_plan(args, result)
    out = sys.stdout
    if args.show_mapping:
        out.write(mapping_to_toml(plan.columns, mapping, plan.table.name, plan.seen))
        return 0
    check_columns(plan, args)
    describe(plan, result.settings, out)
    print("", file=out)
    if not plan.drafts:
        print(t("sheets.import.nothing"), file=out)
        return 0
    if not args.apply:
        print(t("sheets.import.dry_run", n=len(plan.drafts)), file=out)
        return 0
    taken = set(result.paths)
    try:
        written = apply_plan(plan, folder, taken)
    except OSError as e:
        raise CommandError(t("sheets.import.write_failed", detail=e.strerror or str(e))) from None
    print(t("sheets.import.done", n=len(written), folder=folder.root), file=out)
    message = t("sheets.import.commit", n=len(written), file=Path(args.file).name)
    try:
        if commit_import(folder.root, [rel for _, rel in written], message):
            print(t("sheets.import.committed", message=message), file=out)
    except RuntimeError as e:
        print(t("sheets.import.commit_failed", detail=str(e)), file=sys.stderr)
    return 0
