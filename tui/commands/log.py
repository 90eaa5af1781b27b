"""caselog log FOLDER [ID] [--deleted] [--show-text]."""

from __future__ import annotations

from store.git import history as git_history
from store.git import repo as git_repo
from store.git import setup as git_setup

from ..cli import CommandError
from ..i18n import t
from ..vcs import version_heading, version_lines
from .common import open_folder_data

HELP = (
    "Show the history from git: every version of one record (date, author, message and "
    "the fields that changed), or the latest commits of the folder, or (--deleted) the "
    "records that were deleted. Text fields are named, not shown, unless --show-text."
)


def add_arguments(p) -> None:
    p.add_argument("folder", help="the data folder")
    p.add_argument("id", nargs="?", help="a record id, e.g. 2024-04-03-k7q2")
    p.add_argument("--deleted", action="store_true", help="list deleted records that can be restored")
    p.add_argument("--show-text", action="store_true",
                   help="show the values of text fields (title, notes, citizen)")
    p.add_argument("-n", "--limit", type=int, default=20,
                   help="how many commits without an ID (default: 20)")


def open_repo(folder_arg: str, lang: str | None):
    """The folder of a history command: a caselog folder that is a git repository."""
    data, _settings = open_folder_data(folder_arg, lang)
    if not git_repo.git_available():
        raise CommandError(t("git.notice.no_git"))
    if not git_repo.is_repo(data.root):
        raise CommandError(t("git.notice.not_repo", folder=folder_arg))
    try:
        git_setup.ensure_merge_driver(data.root)
    except git_repo.GitError:
        pass  # the history can be read without it
    return data


def run(args) -> int:
    data = open_repo(args.folder, args.lang)
    root = data.root
    try:
        if args.deleted:
            deleted = git_history.deleted_records(root)
            if not deleted:
                print(t("git.log.deleted_none"))
            for d in deleted:
                print(t("git.log.deleted_line", id=d.id, date=d.date[:10], author=d.author,
                        folder=args.folder))
            return 0
        if args.id:
            versions = git_history.history(root, args.id)
            if not versions:
                if not git_history.paths_of_id(root, args.id):
                    raise CommandError(t("git.log.unknown", id=args.id))
                print(t("git.log.none", id=args.id))
                return 0
            print(t("git.log.title", id=args.id))
            for v in versions:
                print()
                print(version_heading(v.date, v.author, v.subject))
                for line in version_lines(v, args.show_text):
                    print(f"    {line}")
            return 0
        commits = git_history.recent(root, max(1, args.limit))
        if not commits:
            print(t("git.log.no_commits"))
        for c in commits:
            print(version_heading(c.date, c.author, c.subject))
            for v in c.versions:
                rid = v.path.rsplit("/", 1)[-1].removesuffix(".toml")
                lines = version_lines(v, args.show_text)
                print(f"    {rid}: {t('git.action.' + v.action)}")
                for line in lines if v.action == "changed" else []:
                    print(f"        {line}")
        return 0
    except git_repo.GitError as e:
        raise CommandError(t("git.error.git", detail=str(e))) from None
