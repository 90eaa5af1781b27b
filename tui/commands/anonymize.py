"""caselog anonymize FOLDER --before DATE [--dry-run]."""

from __future__ import annotations

from store.domain import clock
from store.domain.problems import ERROR
from store.format.layout import INQUIRIES
from store.tools import anonymize

from ..dates import parse_date
from ..errors import CommandError
from ..i18n import t
from .common import load

HELP = (
    "Remove the personal text (citizen, notes, title) of closed inquiries received before DATE; "
    "the tables stay the same. With --dry-run, list the inquiries and fields it would change. "
    "In a git repository the changed files are committed in one commit; the history still "
    "holds the old text (see README.md, Personal data)."
)


def add_arguments(p) -> None:
    p.add_argument("folder", help="the data folder")
    p.add_argument("--before", required=True, metavar="DATE",
                   help="anonymise closed inquiries received before this date, e.g. 2023-01-01")
    p.add_argument("--dry-run", action="store_true",
                   help="only list what would change (ids and fields, never the content)")


def _fields(fields) -> str:
    return ", ".join(t(f"privacy.field.{f}") for f in fields)


def run(args) -> int:
    data, result = load(args.folder, args.lang)
    try:
        before = parse_date(args.before, clock.today())
    except ValueError:
        raise CommandError(t("privacy.anon.bad_date", text=args.before), 2) from None
    when = before.isoformat()
    planned = anonymize.plan(result, before)
    # Files under inquiries/ that did not load (broken, duplicate, conflict copies) may
    # hold personal text too: name them, so that they are fixed and anonymised.
    loaded = set(result.paths.values())
    unreadable = sorted({p.path for p in result.problems
                         if p.path.startswith(INQUIRIES + "/") and p.path not in loaded
                         and (p.severity == ERROR or p.code == "conflict-copy")})
    status = 1 if unreadable else 0

    if args.dry_run:
        if planned:
            print(t("privacy.anon.dry_header", n=len(planned), date=when))
            for p in planned:
                print(t("privacy.anon.dry_line", id=p.id, fields=_fields(p.fields)))
        else:
            print(t("privacy.anon.none", date=when))
        _report_left(planned, unreadable)
        if planned:
            print(t("privacy.anon.dry_footer"))
        return status

    written: list[str] = []
    try:
        anonymize.apply(data.root, planned, written)
    except OSError as e:
        failed = planned[len(written)].path
        raise CommandError(t("privacy.anon.write_failed", path=failed,
                             detail=e.strerror or type(e).__name__, n=len(written))) from None

    repo = anonymize.is_git_repo(data.root)
    pending: list[str] = []
    if repo:
        try:
            pending = anonymize.uncommitted(data.root, anonymize.scope_paths(result, before))
        except anonymize.GitFailed as e:
            print(t("privacy.anon.commit_failed", detail=str(e)))
            repo = False
    if not planned and not pending:
        print(t("privacy.anon.none", date=when))
        _report_left(planned, unreadable)
        return status

    print(t("privacy.anon.done", n=len(written), date=when))
    _report_left(planned, unreadable)
    if repo:
        message = t("privacy.anon.commit_message", n=len(pending), date=when)
        try:
            if anonymize.commit(data.root, pending, message):
                print(t("privacy.anon.commit", message=message))
        except anonymize.GitFailed as e:
            print(t("privacy.anon.commit_failed", detail=str(e)))
            status = 1
        print(t("privacy.anon.history"))
    else:
        print(t("privacy.anon.no_git"))
    print(t("privacy.anon.backups"))
    return status


def _report_left(planned, unreadable) -> None:
    for p in planned:
        if p.cpr_left:
            print(t("privacy.anon.cpr_left", id=p.id, fields=", ".join(p.cpr_left)))
    if unreadable:
        print(t("privacy.anon.unreadable"))
        for path in unreadable:
            print(f"    {path}")
